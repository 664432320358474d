import {
  createRandomId,
  findAccountDeleteStepsProblem,
  MIKA_ACCOUNT_DELETE_STEPS,
  MIKA_ERASURE_SUBJECT_FIELDS,
  type MikaAccountDeleteRequestPort,
  type MikaAccountDeleteRequestRecord,
  type MikaAccountDeleteRequestStatus,
  recordOrThrow,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import {
  requireAnyOf,
  requireLimit,
  requireOneOf,
  requireTime,
  requireWholeNumber,
} from "../input.ts";
import type { AccountDeleteRequestsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { toIso, toIsoOrNull, toMetadata, toNumber } from "./convert.ts";
import { readStoredRow } from "./read-row.ts";

function toRecord(row: Selectable<AccountDeleteRequestsTable>): MikaAccountDeleteRequestRecord {
  return {
    id: row.id,
    status: row.status as MikaAccountDeleteRequestStatus,
    customerId: row.customer_id,
    userId: row.user_id,
    emailHash: row.email_hash,
    tokenHash: row.token_hash,
    steps: toMetadata(row.steps) as MikaAccountDeleteRequestRecord["steps"],
    errorCount: toNumber(row.error_count),
    lastError: row.last_error,
    requestedAt: toIso(row.requested_at),
    updatedAt: toIso(row.updated_at),
    completedAt: toIsoOrNull(row.completed_at),
    failedAt: toIsoOrNull(row.failed_at),
  };
}

/** The erasure-queue part of `repositories.ops`, over `<prefix>account_delete_requests`. */
export function createPostgresAccountDeleteRequests({
  db,
  tableLabel,
}: PostgresRepositoryContext): MikaAccountDeleteRequestPort {
  const label = tableLabel("account_delete_requests");
  const read = (row: Selectable<AccountDeleteRequestsTable>) =>
    readStoredRow(label, row, toRecord, (stored) => findAccountDeleteStepsProblem(stored.steps));

  return {
    async queueAccountDeleteRequest(input) {
      requireAnyOf(input, MIKA_ERASURE_SUBJECT_FIELDS, "An account-delete request");
      const now = requireTime(input.now, "now");
      const row = await db
        .insertInto("account_delete_requests")
        .values({
          id: input.id ?? createRandomId(),
          status: "queued",
          customer_id: input.customerId ?? null,
          user_id: input.userId ?? null,
          email_hash: input.emailHash ?? null,
          token_hash: input.tokenHash ?? null,
          steps: "{}",
          error_count: 0,
          requested_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getAccountDeleteRequest(requestId) {
      const row = await db
        .selectFrom("account_delete_requests")
        .selectAll()
        .where("id", "=", requestId)
        .executeTakeFirst();
      return row ? recordOrThrow(read(row)) : null;
    },

    async listQueuedAccountDeleteRequests(input) {
      const limit = requireLimit(input.limit, "limit");
      if (limit === 0) return [];
      const rows = await db
        .selectFrom("account_delete_requests")
        .selectAll()
        .where(sql<boolean>`status = 'queued'`)
        .orderBy("requested_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(read);
    },

    async setAsideUnreadableAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const result = await db
        .updateTable("account_delete_requests")
        .set({ status: "failed", last_error: input.error, failed_at: now, updated_at: now })
        .where("id", "=", input.requestId)
        .where(sql<boolean>`status = 'queued'`)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordAccountDeleteStep(input) {
      const now = requireTime(input.now, "now");
      const step = requireOneOf(input.step, MIKA_ACCOUNT_DELETE_STEPS, "step");
      const record = {
        status: "completed",
        completedAt: now,
        value: requireWholeNumber(input.value, "value", 0),
      };
      const row = await db
        .updateTable("account_delete_requests")
        .set({
          steps: sql<string>`steps || jsonb_build_object(${step}::text, ${JSON.stringify(record)}::jsonb)`,
          updated_at: now,
        })
        .where("id", "=", input.requestId)
        .where(sql<boolean>`status = 'queued'`)
        .where(sql<boolean>`steps -> ${step}::text is null`)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async completeAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const row = await db
        .updateTable("account_delete_requests")
        .set({
          status: "completed",
          completed_at: now,
          // An earlier retry's error text goes too: the request is done.
          last_error: null,
          user_id: null,
          email_hash: null,
          token_hash: null,
          updated_at: now,
        })
        .where("id", "=", input.requestId)
        .where(sql<boolean>`status = 'queued'`)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async recordAccountDeleteError(input) {
      const now = requireTime(input.now, "now");
      const row = await db
        .updateTable("account_delete_requests")
        .set({
          last_error: input.error,
          error_count: sql<number>`error_count + 1`,
          updated_at: now,
        })
        .where("id", "=", input.requestId)
        .where(sql<boolean>`status = 'queued'`)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async failAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const row = await db
        .updateTable("account_delete_requests")
        .set({ status: "failed", last_error: input.error, failed_at: now, updated_at: now })
        .where("id", "=", input.requestId)
        .where(sql<boolean>`status = 'queued'`)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async describeAccountDeleteBacklog(input) {
      requireTime(input.now, "now");
      const row = await db
        .selectFrom("account_delete_requests")
        .select([
          sql<string | number>`count(*)`.as("count"),
          sql<Date | string | null>`min(requested_at)`.as("oldest"),
        ])
        .where(sql<boolean>`status = 'queued'`)
        .executeTakeFirstOrThrow();
      return { count: toNumber(row.count), oldestAt: toIsoOrNull(row.oldest) };
    },
  };
}
