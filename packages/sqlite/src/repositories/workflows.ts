import {
  createRandomId,
  type ISODateTime,
  MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
  type MikaWorkflowPort,
  type MikaWorkflowRecord,
} from "@mika-maintenance/core";
import { and, eq, isNull, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import {
  optionalTime,
  requireLeaseExtension,
  requireLimit,
  requireText,
  requireTime,
  requireWholeNumber,
} from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import {
  CLEARED_LEASE,
  exhaustedAt,
  extendLeasedRow,
  heldBy,
  reclaimExhaustedRows,
  takeLeasedRow,
} from "./leased-rows.ts";
import { insertRow, rowById } from "./rows.ts";
import { changes, updateSubjectRows } from "./sql-helpers.ts";
import { newSweepBatchSize } from "./sweep.ts";

/** The workflow part of `repositories.ops`, over `<prefix>workflows`. */
export function createSqliteWorkflows(database: MikaSqliteDatabase): MikaWorkflowPort {
  const t = database.tables.workflows;
  const reclaimBatchSize = newSweepBatchSize();

  return {
    async enqueueWorkflow(input) {
      const now = requireTime(input.now, "now");
      const row: MikaWorkflowRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        name: requireText(input.name, "name"),
        status: "queued",
        input: input.input ?? {},
        output: null,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        redactedAt: null,
        subjectId: input.subjectId == null ? null : requireText(input.subjectId, "subjectId"),
        nextAttemptAt: optionalTime(input.nextAttemptAt, "nextAttemptAt"),
        attemptCount: 0,
        maxAttempts: requireWholeNumber(
          input.maxAttempts ?? MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
          "maxAttempts",
          1,
        ),
        ...CLEARED_LEASE,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      };
      return insertRow(database, t, row);
    },

    async getWorkflow(workflowId) {
      return rowById(database, t, workflowId);
    },

    async tryLeaseWorkflow(input) {
      return takeLeasedRow<MikaWorkflowRecord>(database, t, input.workflowId, input, {
        status: "running",
        // Queued, or running under a lease that ran out, with attempts left.
        takeable: (now) =>
          sql`${t.attemptCount} < ${t.maxAttempts} and (${t.status} = 'queued' or (${t.status} = 'running' and ${t.leaseExpiresAt} <= ${toStoredTime(now)}))`,
      });
    },

    async extendWorkflowLease(input) {
      return extendLeasedRow<MikaWorkflowRecord>(database, t, {
        ...requireLeaseExtension(input, "workflowId"),
        status: "running",
      });
    },

    async completeWorkflow(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            status: "completed",
            ...(input.output === undefined ? {} : { output: input.output }),
            finishedAt: now,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(heldBy(t, input.workflowId, input.leaseKey, "running"))
          .returning();
        return row ?? null;
      });
    },

    async reclaimExhaustedWorkflows(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      return reclaimExhaustedRows(
        database,
        t,
        exhaustedAt(t, "running", now),
        { status: "failed", lastError: input.error, finishedAt: now, updatedAt: now },
        limit,
        reclaimBatchSize,
      );
    },

    async listDueWorkflowRetries(input) {
      const now = requireTime(input.now, "now");
      const name = requireText(input.name, "name");
      const limit = requireLimit(input.limit);
      return database.run(async (db) => {
        const rows = await db
          .select()
          .from(t)
          .where(dueForRetry(t, name, now))
          .orderBy(t.nextAttemptAt, t.id)
          .limit(limit + 1);
        return { items: rows.slice(0, limit), hasMore: rows.length > limit };
      });
    },

    async claimWorkflowRetry(input) {
      const now = requireTime(input.now, "now");
      const nextAttemptAt = requireTime(input.nextAttemptAt, "nextAttemptAt");
      const attemptCount = requireWholeNumber(input.attemptCount, "attemptCount", 0);
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({ attemptCount: sql`${t.attemptCount} + 1`, nextAttemptAt, updatedAt: now })
          .where(
            and(
              eq(t.id, input.workflowId),
              eq(t.attemptCount, attemptCount),
              sql`${t.attemptCount} < ${t.maxAttempts}`,
              dueForRetry(t, t.name, now),
            ),
          )
          .returning();
        return row ?? null;
      });
    },

    async failExhaustedWorkflowRetry(input) {
      const now = requireTime(input.now, "now");
      const attemptCount = requireWholeNumber(input.attemptCount, "attemptCount", 0);
      const error = requireText(input.error, "error");
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({
            status: "failed",
            lastError: error,
            finishedAt: now,
            nextAttemptAt: null,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(
            and(
              eq(t.id, input.workflowId),
              eq(t.attemptCount, attemptCount),
              sql`${t.attemptCount} >= ${t.maxAttempts}`,
              dueForRetry(t, t.name, now),
            ),
          );
        return changes(result) > 0;
      });
    },

    async redactWorkflowsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      return updateSubjectRows(
        database,
        t,
        input,
        {
          input: {},
          output: null,
          lastError: sql`case when ${t.lastError} is null then null else '[redacted]' end`,
          userId: null,
          emailHash: null,
          redactedAt: now,
          updatedAt: now,
        },
        isNull(t.redactedAt),
      );
    },
  };
}

/**
 * Due for a maintenance retry, as `workflows_retry_due_idx` holds them: kind `name`, next
 * attempt reached, waiting or with its lease run out.
 */
function dueForRetry(
  t: MikaSqliteDatabase["tables"]["workflows"],
  name: string | SQLWrapper,
  now: ISODateTime,
): SQL {
  const nowMs = toStoredTime(now);
  return sql`${t.name} = ${name} and ${t.nextAttemptAt} is not null and ${t.nextAttemptAt} <= ${nowMs}
    and ${t.status} in ('queued', 'running')
    and (${t.status} = 'queued' or (${t.status} = 'running' and ${t.leaseExpiresAt} <= ${nowMs}))`;
}
