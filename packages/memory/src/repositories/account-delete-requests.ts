import {
  findAccountDeleteStepsProblem,
  MIKA_ACCOUNT_DELETE_STEPS,
  MIKA_ERASURE_SUBJECT_FIELDS,
  type MikaAccountDeleteRequestPort,
  type MikaAccountDeleteRequestRecord,
  type MikaRowRead,
  recordOrThrow,
} from "@mika-maintenance/core";
import { backlogFigure, copy, insertRow, sortRows } from "../database/rows.ts";
import { portInput } from "../input.ts";
import { readRow } from "../schema/read-row.ts";
import type { MemoryState } from "../schema/tables.ts";

const REQUEST_TIMES = ["requestedAt", "updatedAt", "completedAt", "failedAt"];

/** One stored request as a record, or as an unreadable row naming the field. */
export function readAccountDeleteRequestRow(
  request: MikaAccountDeleteRequestRecord,
): MikaRowRead<MikaAccountDeleteRequestRecord> {
  return readRow("accountDeleteRequests", request, {
    times: REQUEST_TIMES,
    nullable: ["completedAt", "failedAt"],
    check: (row) => findAccountDeleteStepsProblem(row.steps),
  });
}

/** The account-delete queue part of `repositories.ops`. */
export function createMemoryAccountDeleteRequests(
  state: MemoryState,
): MikaAccountDeleteRequestPort {
  const requests = state.tables.accountDeleteRequests;

  function queued(requestId: string): MikaAccountDeleteRequestRecord | undefined {
    const request = requests.get(requestId);
    return request?.status === "queued" ? request : undefined;
  }

  function queuedRequests(): MikaAccountDeleteRequestRecord[] {
    return sortRows(
      [...requests.values()].filter((request) => request.status === "queued"),
      (request) => [request.requestedAt, request.id],
    );
  }

  return {
    async queueAccountDeleteRequest(input) {
      const now = portInput.requireTime(input.now, "now");
      const customerId = input.customerId ?? null;
      const userId = input.userId ?? null;
      const emailHash = input.emailHash ?? null;
      portInput.requireAnyOf(input, MIKA_ERASURE_SUBJECT_FIELDS, "An account-delete request");
      const id = state.idFor(input.id, "id");
      const request: MikaAccountDeleteRequestRecord = {
        id,
        status: "queued",
        customerId,
        userId,
        emailHash,
        tokenHash: input.tokenHash ?? null,
        steps: {},
        errorCount: 0,
        lastError: null,
        requestedAt: now,
        updatedAt: now,
        completedAt: null,
        failedAt: null,
      };
      return copy(insertRow(requests, "accountDeleteRequests", id, request));
    },

    async getAccountDeleteRequest(requestId) {
      const request = requests.get(requestId);
      return request ? recordOrThrow(readAccountDeleteRequestRow(copy(request))) : null;
    },

    async listQueuedAccountDeleteRequests(input) {
      const limit = portInput.requireLimit(input.limit);
      return queuedRequests()
        .slice(0, limit)
        .map((request) => readAccountDeleteRequestRow(copy(request)));
    },

    async setAsideUnreadableAccountDeleteRequest(input) {
      const now = portInput.requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return false;
      request.status = "failed";
      request.lastError = portInput.requireText(input.error, "error");
      request.failedAt = now;
      request.updatedAt = now;
      return true;
    },

    async recordAccountDeleteStep(input) {
      const now = portInput.requireTime(input.now, "now");
      const step = portInput.requireOneOf(input.step, MIKA_ACCOUNT_DELETE_STEPS, "step");
      const value = portInput.requireWholeNumber(input.value, "value", 0);
      const request = queued(input.requestId);
      if (!request || request.steps[step]) return null;
      request.steps[step] = { status: "completed", completedAt: now, value };
      request.updatedAt = now;
      return copy(request);
    },

    async completeAccountDeleteRequest(input) {
      const now = portInput.requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return null;
      request.status = "completed";
      request.completedAt = now;
      // An earlier retry's error text goes too: the request is done.
      request.lastError = null;
      request.userId = null;
      request.emailHash = null;
      request.tokenHash = null;
      request.updatedAt = now;
      return copy(request);
    },

    async recordAccountDeleteError(input) {
      const now = portInput.requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return null;
      request.lastError = input.error;
      request.errorCount += 1;
      request.updatedAt = now;
      return copy(request);
    },

    async failAccountDeleteRequest(input) {
      const now = portInput.requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return null;
      request.status = "failed";
      request.lastError = input.error;
      request.failedAt = now;
      request.updatedAt = now;
      return copy(request);
    },

    async describeAccountDeleteBacklog(input) {
      portInput.requireTime(input.now, "now");
      return backlogFigure(queuedRequests().map((request) => request.requestedAt));
    },

    async describeBlockedAccountDeleteBacklog(input) {
      const failedSince = portInput.requireTime(input.failedSince, "failedSince");
      return backlogFigure(
        [...requests.values()]
          .filter(
            (request) =>
              request.status === "failed" &&
              request.failedAt !== null &&
              request.failedAt >= failedSince,
          )
          .map((request) => request.requestedAt),
      );
    },
  };
}
