import {
  MIKA_ACCOUNT_DELETE_STEPS,
  type MikaAccountDeleteRequestPort,
  type MikaAccountDeleteRequestRecord,
} from "@mika-maintenance/core";
import { requireLimit, requireOneOf, requireTime, requireWholeNumber } from "../input.ts";
import { MikaMemoryInputError } from "../memory-errors.ts";
import type { MemoryState } from "../memory-state.ts";
import { backlogFigure, copy, copyOrNull, insertRow, sortRows } from "../rows.ts";

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
      const now = requireTime(input.now, "now");
      const customerId = input.customerId ?? null;
      const userId = input.userId ?? null;
      const emailHash = input.emailHash ?? null;
      if (customerId === null && userId === null && emailHash === null) {
        throw new MikaMemoryInputError(
          "customerId",
          "An account-delete request needs at least one of customerId, userId or emailHash.",
        );
      }
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
      return copyOrNull(requests.get(requestId));
    },

    async listQueuedAccountDeleteRequests(input) {
      const limit = requireLimit(input.limit);
      return queuedRequests().slice(0, limit).map(copy);
    },

    async recordAccountDeleteStep(input) {
      const now = requireTime(input.now, "now");
      const step = requireOneOf(input.step, MIKA_ACCOUNT_DELETE_STEPS, "step");
      const value = requireWholeNumber(input.value, "value", 0);
      const request = queued(input.requestId);
      if (!request || request.steps[step]) return null;
      request.steps[step] = { status: "completed", completedAt: now, value };
      request.updatedAt = now;
      return copy(request);
    },

    async completeAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return null;
      request.status = "completed";
      request.completedAt = now;
      request.userId = null;
      request.emailHash = null;
      request.tokenHash = null;
      request.updatedAt = now;
      return copy(request);
    },

    async recordAccountDeleteError(input) {
      const now = requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return null;
      request.lastError = input.error;
      request.errorCount += 1;
      request.updatedAt = now;
      return copy(request);
    },

    async failAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const request = queued(input.requestId);
      if (!request) return null;
      request.status = "failed";
      request.lastError = input.error;
      request.failedAt = now;
      request.updatedAt = now;
      return copy(request);
    },

    async describeAccountDeleteBacklog(input) {
      requireTime(input.now, "now");
      return backlogFigure(queuedRequests().map((request) => request.requestedAt));
    },
  };
}
