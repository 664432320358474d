import {
  createRandomId,
  MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
  type MikaWorkflowPort,
  type MikaWorkflowRecord,
  type MikaWorkflowStatus,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { positiveIntegerParam } from "../input.ts";
import type { WorkflowsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import {
  fromJson,
  isoParam,
  jsonParam,
  limitParam,
  toIso,
  toIsoOrNull,
  toMetadata,
  toNumber,
} from "./convert.ts";
import { erasureMatch, hasErasureSubject } from "./erasure.ts";
import { CLEARED_LEASE, heldBy, reclaimExhaustedRows, takeLease } from "./leased-rows.ts";

/** Running rows on their last allowed attempt, as `workflows_exhausted_idx` holds them. */
const EXHAUSTED_CANDIDATE = sql<boolean>`status = 'running' and attempt_count >= max_attempts`;

function toRecord(row: Selectable<WorkflowsTable>): MikaWorkflowRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as MikaWorkflowStatus,
    input: toMetadata(row.input),
    output: row.output === null ? null : toMetadata(fromJson(row.output)),
    attemptCount: toNumber(row.attempt_count),
    maxAttempts: toNumber(row.max_attempts),
    leaseKey: row.lease_key,
    leasedAt: toIsoOrNull(row.leased_at),
    leaseExpiresAt: toIsoOrNull(row.lease_expires_at),
    lastError: row.last_error,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    finishedAt: toIsoOrNull(row.finished_at),
    customerId: row.customer_id,
    userId: row.user_id,
    emailHash: row.email_hash,
    redactedAt: toIsoOrNull(row.redacted_at),
  };
}

/** The workflow half of `repositories.ops`, over `<prefix>workflows`. */
export function createPostgresWorkflows({
  db,
  batchSize,
}: PostgresRepositoryContext): MikaWorkflowPort {
  const table = sql.table("workflows");

  return {
    async enqueueWorkflow(input) {
      const now = isoParam("now", input.now);
      const row = await db
        .insertInto("workflows")
        .values({
          id: input.id ?? createRandomId(),
          name: input.name,
          status: "queued",
          input: jsonParam(input.input),
          customer_id: input.customerId ?? null,
          user_id: input.userId ?? null,
          email_hash: input.emailHash ?? null,
          attempt_count: 0,
          max_attempts: positiveIntegerParam(
            "maxAttempts",
            input.maxAttempts ?? MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
          ),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getWorkflow(workflowId) {
      const row = await db
        .selectFrom("workflows")
        .selectAll()
        .where("id", "=", workflowId)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async tryLeaseWorkflow(input) {
      const now = isoParam("now", input.now);
      const row = await db
        .updateTable("workflows")
        .set(
          takeLease({
            now,
            leaseKey: input.leaseKey,
            leaseExpiresAt: isoParam("leaseExpiresAt", input.leaseExpiresAt),
            status: "running",
          }),
        )
        .where("id", "=", input.workflowId)
        .where(
          sql<boolean>`attempt_count < max_attempts
            and (status = 'queued' or (status = 'running' and lease_expires_at <= ${now}))`,
        )
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async completeWorkflow(input) {
      const now = isoParam("now", input.now);
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
      const now = isoParam("now", input.now);
      const limit = limitParam("limit", input.limit);
      return reclaimExhaustedRows(db, {
        table,
        candidate: EXHAUSTED_CANDIDATE,
        set: sql`status = 'failed', last_error = ${input.error}, finished_at = ${now}`,
        now,
        limit,
        batchSize,
      });
    },

    async redactWorkflowsForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      const now = isoParam("now", input.now);
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
