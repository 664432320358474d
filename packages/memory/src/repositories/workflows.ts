import {
  type ISODateTime,
  MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
  type MikaWorkflowPort,
  type MikaWorkflowRecord,
} from "@mika-maintenance/core";
import { copy, insertNew, readById, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows, subjectColumns } from "./erasure-subject.ts";
import { clearLease, heldRow, leasedTable, leaseLapsed, reclaimExhausted } from "./leased-rows.ts";

/** The workflow part of `repositories.ops`. */
export function createMemoryWorkflows(state: MemoryState): MikaWorkflowPort {
  const workflows = state.tables.workflows;
  const leased = leasedTable(workflows, "running");

  /**
   * The compare-and-set of settling a retry: workflow `workflowId`, still at the
   * `attemptCount` its caller saw, still due at `now`, and with attempts left or `exhausted`.
   */
  function sameRetry(
    input: { workflowId: string; attemptCount: number },
    now: ISODateTime,
    exhausted: boolean,
  ): MikaWorkflowRecord | undefined {
    const attemptCount = portInput.requireWholeNumber(input.attemptCount, "attemptCount", 0);
    const workflow = workflows.get(input.workflowId);
    if (
      !workflow ||
      !dueForRetry(workflow, workflow.name, now) ||
      workflow.attemptCount !== attemptCount ||
      workflow.attemptCount >= workflow.maxAttempts !== exhausted
    ) {
      return undefined;
    }
    return workflow;
  }

  return {
    async enqueueWorkflow(input) {
      return insertNew(state, "workflows", input, (id) => ({
        id,
        name: portInput.requireText(input.name, "name"),
        status: "queued" as const,
        input: copy(input.input ?? {}),
        output: null,
        ...subjectColumns(input),
        redactedAt: null,
        subjectId:
          input.subjectId == null ? null : portInput.requireText(input.subjectId, "subjectId"),
        nextAttemptAt: portInput.optionalTime(input.nextAttemptAt, "nextAttemptAt"),
        attemptCount: 0,
        maxAttempts: portInput.requireWholeNumber(
          input.maxAttempts ?? MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
          "maxAttempts",
          1,
        ),
        leaseKey: null,
        leasedAt: null,
        leaseExpiresAt: null,
        lastError: null,
        finishedAt: null,
      }));
    },

    getWorkflow: readById(workflows),

    async tryLeaseWorkflow(input) {
      return leased.take(
        input.workflowId,
        input,
        (workflow, now) =>
          (workflow.status === "queued" ||
            (workflow.status === "running" &&
              workflow.leaseExpiresAt !== null &&
              leaseLapsed(workflow, now))) &&
          workflow.attemptCount < workflow.maxAttempts,
      );
    },

    async extendWorkflowLease(input) {
      return leased.extend(portInput.requireLeaseExtension(input, "workflowId"));
    },

    async completeWorkflow(input) {
      const now = portInput.requireTime(input.now, "now");
      const workflow = heldRow(workflows, input.workflowId, input.leaseKey, "running");
      if (!workflow) return null;
      workflow.status = "completed";
      workflow.output = input.output === undefined ? workflow.output : copy(input.output);
      workflow.finishedAt = now;
      clearLease(workflow);
      workflow.updatedAt = now;
      return copy(workflow);
    },

    async reclaimExhaustedWorkflows(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit);
      return reclaimExhausted(
        workflows.values(),
        { now, limit, status: "running" },
        () => true,
        (workflow) => {
          workflow.status = "failed";
          workflow.lastError = input.error;
          workflow.finishedAt = now;
        },
      );
    },

    async listDueWorkflowRetries(input) {
      const now = portInput.requireTime(input.now, "now");
      const name = portInput.requireText(input.name, "name");
      const limit = portInput.requireLimit(input.limit);
      const due = sortRows(
        [...workflows.values()].filter((workflow) => dueForRetry(workflow, name, now)),
        (workflow) => [workflow.nextAttemptAt, workflow.id],
      );
      const { batch, hasMore } = takeBatch(due, limit);
      return { items: batch.map(copy), hasMore };
    },

    async claimWorkflowRetry(input) {
      const now = portInput.requireTime(input.now, "now");
      const nextAttemptAt = portInput.requireTime(input.nextAttemptAt, "nextAttemptAt");
      const workflow = sameRetry(input, now, false);
      if (!workflow) return null;
      workflow.attemptCount += 1;
      workflow.nextAttemptAt = nextAttemptAt;
      workflow.updatedAt = now;
      return copy(workflow);
    },

    async failExhaustedWorkflowRetry(input) {
      const now = portInput.requireTime(input.now, "now");
      const workflow = sameRetry(input, now, true);
      const error = portInput.requireText(input.error, "error");
      if (!workflow) return false;
      workflow.status = "failed";
      workflow.lastError = error;
      workflow.finishedAt = now;
      workflow.nextAttemptAt = null;
      clearLease(workflow);
      workflow.updatedAt = now;
      return true;
    },

    async redactWorkflowsForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      return eraseSubjectRows(
        workflows.values(),
        input,
        (workflow) => workflow.redactedAt === null,
        (workflow) => {
          workflow.input = {};
          workflow.output = null;
          workflow.lastError = workflow.lastError === null ? null : "[redacted]";
          workflow.userId = null;
          workflow.emailHash = null;
          workflow.redactedAt = now;
          workflow.updatedAt = now;
        },
      );
    },
  };
}

/** Due for a maintenance retry: kind `name`, `nextAttemptAt <= now`, waiting or lease run out. */
function dueForRetry(workflow: MikaWorkflowRecord, name: string, now: ISODateTime): boolean {
  return (
    workflow.name === name &&
    workflow.nextAttemptAt !== null &&
    workflow.nextAttemptAt <= now &&
    (workflow.status === "queued" ||
      (workflow.status === "running" &&
        workflow.leaseExpiresAt !== null &&
        leaseLapsed(workflow, now)))
  );
}
