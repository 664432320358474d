import {
  createRandomId,
  findAccountDeleteStepsProblem,
  MIKA_ACCOUNT_DELETE_STEPS,
  MIKA_ERASURE_SUBJECT_FIELDS,
  type MikaAccountDeleteRequestPort,
  type MikaAccountDeleteRequestRecord,
  type MikaAccountDeleteRequestStatus,
  type MikaAccountDeleteStepCounts,
  recordOrThrow,
} from "@mika-maintenance/core";
import { type Selectable, sql, type UpdateObject } from "kysely";
import { portInput } from "../input.ts";
import type { AccountDeleteRequestsTable, MikaPostgresDatabase } from "../schema/tables.ts";
import { backlogFigure } from "./backlog-figure.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { subjectOf, toIso, toIsoOrNull, toMetadata, toNumber } from "./convert.ts";
import { subjectColumns } from "./erasure.ts";
import { findById } from "./find-by-id.ts";
import { readStoredRow } from "./read-row.ts";

function toRecord(row: Selectable<AccountDeleteRequestsTable>): MikaAccountDeleteRequestRecord {
  return {
    id: row.id,
    status: row.status as MikaAccountDeleteRequestStatus,
    ...subjectOf(row),
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
  /** An update of request `id` while it is still queued, returning the row it changed. */
  const updateQueued = (
    id: string,
    set: UpdateObject<MikaPostgresDatabase, "account_delete_requests">,
  ) =>
    db
      .updateTable("account_delete_requests")
      .set(set)
      .where("id", "=", id)
      .where(sql<boolean>`status = 'queued'`)
      .returningAll();

  return {
    async queueAccountDeleteRequest(input) {
      portInput.requireAnyOf(input, MIKA_ERASURE_SUBJECT_FIELDS, "An account-delete request");
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("account_delete_requests")
        .values({
          id: input.id ?? createRandomId(),
          status: "queued",
          ...subjectColumns(input),
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
      const row = await findById(db, "account_delete_requests", requestId);
      return row ? recordOrThrow(read(row)) : null;
    },

    async listQueuedAccountDeleteRequests(input) {
      const limit = portInput.requireLimit(input.limit, "limit");
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
      const now = portInput.requireTime(input.now, "now");
      const set = { status: "failed", last_error: input.error, failed_at: now, updated_at: now };
      // Not read back: the row is unreadable, which is why it is set aside.
      return (await updateQueued(input.requestId, set).executeTakeFirst()) !== undefined;
    },

    async recordAccountDeleteStep(input) {
      const now = portInput.requireTime(input.now, "now");
      const step = portInput.requireOneOf(input.step, MIKA_ACCOUNT_DELETE_STEPS, "step");
      const record = {
        status: "completed",
        completedAt: now,
        value: portInput.requireWholeNumber(input.value, "value", 0),
      };
      const row = await updateQueued(input.requestId, {
        steps: sql<string>`steps || jsonb_build_object(${step}::text, ${JSON.stringify(record)}::jsonb)`,
        updated_at: now,
      })
        .where(sql<boolean>`steps -> ${step}::text is null`)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    completeAccountDeleteRequest: (input) =>
      completeAccountDeleteRequestWithSteps({ db }, { ...input, steps: {} }),

    async recordAccountDeleteError(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await updateQueued(input.requestId, {
        last_error: input.error,
        error_count: sql<number>`error_count + 1`,
        updated_at: now,
      }).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async failAccountDeleteRequest(input) {
      const now = portInput.requireTime(input.now, "now");
      const set = { status: "failed", last_error: input.error, failed_at: now, updated_at: now };
      const row = await updateQueued(input.requestId, set).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async describeAccountDeleteBacklog(input) {
      portInput.requireTime(input.now, "now");
      return backlogFigure(
        db,
        "account_delete_requests",
        sql`requested_at`,
        sql<boolean>`status = 'queued'`,
      );
    },

    async describeBlockedAccountDeleteBacklog(input) {
      const failedSince = portInput.requireTime(input.failedSince, "failedSince");
      return backlogFigure(
        db,
        "account_delete_requests",
        sql`requested_at`,
        sql<boolean>`status = 'failed' and failed_at >= ${failedSince}`,
      );
    },
  };
}

/**
 * Records `steps` (none of them recorded yet) and completes a `queued` request in one
 * statement; `null` when it was not queued or a step was already recorded. With no steps it is
 * `completeAccountDeleteRequest`; with all of them, the one-transaction erasure's closing write.
 */
export async function completeAccountDeleteRequestWithSteps(
  { db }: Pick<PostgresRepositoryContext, "db">,
  input: { requestId: string; steps: MikaAccountDeleteStepCounts; now: string },
): Promise<MikaAccountDeleteRequestRecord | null> {
  const now = portInput.requireTime(input.now, "now");
  const records = Object.fromEntries(
    Object.entries(input.steps).map(([step, value]) => [
      portInput.requireOneOf(step, MIKA_ACCOUNT_DELETE_STEPS, "step"),
      {
        status: "completed",
        completedAt: now,
        value: portInput.requireWholeNumber(value, "value", 0),
      },
    ]),
  );
  const names = Object.keys(records);
  const row = await db
    .updateTable("account_delete_requests")
    .set({
      status: "completed",
      steps: sql<string>`steps || ${JSON.stringify(records)}::jsonb`,
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
    .where(sql<boolean>`not (steps ?| ${names}::text[])`)
    .returningAll()
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}
