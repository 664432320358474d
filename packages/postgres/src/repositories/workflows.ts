import {
  createRandomId,
  MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
  type MikaWorkflowPort,
  type MikaWorkflowRecord,
  type MikaWorkflowStatus,
} from "@mika-maintenance/core";
import { type RawBuilder, type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { WorkflowsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import {
  fromJson,
  jsonParam,
  subjectOf,
  timestampsOf,
  toIsoOrNull,
  toMetadata,
  toNumber,
} from "./convert.ts";
import { erasureMatch, hasErasureSubject, subjectColumns } from "./erasure.ts";
import { findById } from "./find-by-id.ts";
import { CLEARED_LEASE, heldBy, leasedTable, reclaimExhaustedRows } from "./leased-rows.ts";

/** Running rows on their last allowed attempt, as `workflows_exhausted_idx` holds them. */
export const EXHAUSTED_WORKFLOW = sql<boolean>`status = 'running' and attempt_count >= max_attempts`;

/**
 * Due for a maintenance retry, as `workflows_retry_due_idx` holds them: kind `name`, next
 * attempt reached, waiting or with its lease run out.
 */
function dueForRetry(name: string | RawBuilder<string>, now: string): RawBuilder<boolean> {
  return sql<boolean>`name = ${name} and next_attempt_at <= ${now} and status in ('queued', 'running')
    and (status = 'queued' or (status = 'running' and lease_expires_at <= ${now}))`;
}

/**
 * The compare-and-set of settling a retry: workflow `workflowId`, still at the `attemptCount`
 * its caller saw, still due at `now`, and with attempts left or `exhausted`.
 */
function sameRetry(
  input: { workflowId: string; attemptCount: number },
  now: string,
  exhausted: boolean,
): RawBuilder<boolean> {
  const id = portInput.requireText(input.workflowId, "workflowId");
  const attemptCount = portInput.requireWholeNumber(input.attemptCount, "attemptCount", 0);
  return sql<boolean>`id = ${id} and attempt_count = ${attemptCount}
    and attempt_count ${exhausted ? sql`>=` : sql`<`} max_attempts
    and ${dueForRetry(sql<string>`name`, now)}`;
}

function toRecord(row: Selectable<WorkflowsTable>): MikaWorkflowRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as MikaWorkflowStatus,
    input: toMetadata(row.input),
    output: row.output === null ? null : toMetadata(fromJson(row.output)),
    subjectId: row.subject_id,
    nextAttemptAt: toIsoOrNull(row.next_attempt_at),
    attemptCount: toNumber(row.attempt_count),
    maxAttempts: toNumber(row.max_attempts),
    leaseKey: row.lease_key,
    leasedAt: toIsoOrNull(row.leased_at),
    leaseExpiresAt: toIsoOrNull(row.lease_expires_at),
    lastError: row.last_error,
    ...timestampsOf(row),
    finishedAt: toIsoOrNull(row.finished_at),
    ...subjectOf(row),
    redactedAt: toIsoOrNull(row.redacted_at),
  };
}

/** The workflow half of `repositories.ops`, over `<prefix>workflows`. */
export function createPostgresWorkflows({
  db,
  newBatchSize,
}: PostgresRepositoryContext): MikaWorkflowPort {
  const reclaimBatchSize = newBatchSize();
  const leased = leasedTable(db, "workflows", "running", toRecord);
  const { table } = leased;

  return {
    async enqueueWorkflow(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("workflows")
        .values({
          id: input.id ?? createRandomId(),
          name: input.name,
          status: "queued",
          input: jsonParam(input.input),
          ...subjectColumns(input),
          subject_id:
            input.subjectId == null ? null : portInput.requireText(input.subjectId, "subjectId"),
          next_attempt_at: portInput.optionalTime(input.nextAttemptAt, "nextAttemptAt"),
          attempt_count: 0,
          max_attempts: portInput.requireWholeNumber(
            input.maxAttempts ?? MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
            "maxAttempts",
            1,
          ),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getWorkflow(workflowId) {
      const row = await findById(db, "workflows", workflowId);
      return row ? toRecord(row) : null;
    },

    async tryLeaseWorkflow(input) {
      const now = portInput.requireTime(input.now, "now");
      const leaseExpiresAt = portInput.requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      return leased.take(
        input.workflowId,
        { leaseKey: input.leaseKey, now, leaseExpiresAt },
        sql<boolean>`attempt_count < max_attempts
          and (status = 'queued' or (status = 'running' and lease_expires_at <= ${now}))`,
      );
    },

    async extendWorkflowLease(input) {
      return leased.extend(portInput.requireLeaseExtension(input, "workflowId"));
    },

    async completeWorkflow(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .updateTable("workflows")
        .set({
          status: "completed",
          output: input.output === undefined ? sql<string | null>`output` : jsonParam(input.output),
          ...CLEARED_LEASE,
          finished_at: now,
          updated_at: now,
        })
        .where("id", "=", input.workflowId)
        .where(heldBy(input.leaseKey, "running"))
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async reclaimExhaustedWorkflows(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit, "limit");
      return reclaimExhaustedRows(db, {
        table,
        candidate: EXHAUSTED_WORKFLOW,
        set: sql`status = 'failed', last_error = ${input.error}, finished_at = ${now}`,
        now,
        limit,
        batchSize: reclaimBatchSize,
      });
    },

    async listDueWorkflowRetries(input) {
      const now = portInput.requireTime(input.now, "now");
      const name = portInput.requireText(input.name, "name");
      const limit = portInput.requireLimit(input.limit, "limit");
      const rows = await db
        .selectFrom("workflows")
        .selectAll()
        .where(dueForRetry(name, now))
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return { items: rows.slice(0, limit).map(toRecord), hasMore: rows.length > limit };
    },

    async claimWorkflowRetry(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .updateTable("workflows")
        .set({
          attempt_count: sql<number>`attempt_count + 1`,
          next_attempt_at: portInput.requireTime(input.nextAttemptAt, "nextAttemptAt"),
          updated_at: now,
        })
        .where(sameRetry(input, now, false))
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async failExhaustedWorkflowRetry(input) {
      const now = portInput.requireTime(input.now, "now");
      const result = await db
        .updateTable("workflows")
        .set({
          status: "failed",
          last_error: portInput.requireText(input.error, "error"),
          finished_at: now,
          next_attempt_at: null,
          ...CLEARED_LEASE,
          updated_at: now,
        })
        .where(sameRetry(input, now, true))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async redactWorkflowsForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      const now = portInput.requireTime(input.now, "now");
      const result = await db
        .updateTable("workflows")
        .set({
          input: jsonParam({}),
          output: null,
          last_error: sql<
            string | null
          >`case when last_error is null then null else '[redacted]' end`,
          user_id: null,
          email_hash: null,
          redacted_at: now,
          updated_at: now,
        })
        .where(sql<boolean>`redacted_at is null`)
        .where((eb) => erasureMatch(eb, input))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
