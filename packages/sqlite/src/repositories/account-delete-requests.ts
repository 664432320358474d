import {
  createRandomId,
  findAccountDeleteStepsProblem,
  type ISODateTime,
  MIKA_ACCOUNT_DELETE_STEPS,
  MIKA_ERASURE_SUBJECT_FIELDS,
  type MikaAccountDeleteRequestPort,
  type MikaAccountDeleteRequestRecord,
  type MikaAccountDeleteStepCounts,
  type MikaAccountDeleteStepRecord,
  type MikaRowRead,
  recordOrThrow,
} from "@mika-maintenance/core";
import { and, eq, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import {
  requireAnyOf,
  requireLimit,
  requireOneOf,
  requireText,
  requireTime,
  requireWholeNumber,
} from "../input.ts";
import type { accountDeleteRequestsTable } from "../schema/account-delete-requests.ts";
import { toStoredTime } from "../schema/columns.ts";
import { readStoredRow, storedColumns } from "../schema/read-stored-row.ts";
import { backlogFigure, changes } from "./sql-helpers.ts";

/** One request row selected with `storedColumns`, decoded on its own. */
export function readAccountDeleteRequestRow(
  table: ReturnType<typeof accountDeleteRequestsTable>,
  stored: Record<string, unknown>,
): MikaRowRead<MikaAccountDeleteRequestRecord> {
  return readStoredRow(table, stored, (record) => findAccountDeleteStepsProblem(record.steps));
}

/** The account-delete queue part of `repositories.ops`, over `<prefix>account_delete_requests`. */
export function createSqliteAccountDeleteRequests(
  database: MikaSqliteDatabase,
): MikaAccountDeleteRequestPort {
  const t = database.tables.accountDeleteRequests;
  // The literal repeats the queue index's WHERE clause.
  const isQueued = sql`${t.status} = 'queued'`;

  function queued(requestId: string) {
    return and(eq(t.id, requestId), isQueued)!;
  }

  return {
    async queueAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const customerId = input.customerId ?? null;
      const userId = input.userId ?? null;
      const emailHash = input.emailHash ?? null;
      requireAnyOf(input, MIKA_ERASURE_SUBJECT_FIELDS, "An account-delete request");
      const row: MikaAccountDeleteRequestRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
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
      return database.run(async (db) => (await db.insert(t).values(row).returning())[0]!);
    },

    async getAccountDeleteRequest(requestId) {
      return database.run(async (db) => {
        const [row] = await db.select(storedColumns(t)).from(t).where(eq(t.id, requestId));
        return row ? recordOrThrow(readAccountDeleteRequestRow(t, row)) : null;
      });
    },

    async listQueuedAccountDeleteRequests(input) {
      const limit = requireLimit(input.limit);
      if (limit === 0) return [];
      const rows = await database.run((db) =>
        db
          .select(storedColumns(t))
          .from(t)
          .where(isQueued)
          .orderBy(t.requestedAt, t.id)
          .limit(limit),
      );
      return rows.map((row) => readAccountDeleteRequestRow(t, row));
    },

    async setAsideUnreadableAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      const error = requireText(input.error, "error");
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({ status: "failed", lastError: error, failedAt: now, updatedAt: now })
          .where(queued(input.requestId));
        return changes(result) > 0;
      });
    },

    async recordAccountDeleteStep(input) {
      const now = requireTime(input.now, "now");
      const step = requireOneOf(input.step, MIKA_ACCOUNT_DELETE_STEPS, "step");
      const value = requireWholeNumber(input.value, "value", 0);
      const record: MikaAccountDeleteStepRecord = { status: "completed", completedAt: now, value };
      // `step` is one of the fixed step names, so the JSON path is never user text.
      const path = `$.${step}`;
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            steps: sql`json_set(${t.steps}, ${path}, json(${JSON.stringify(record)}))`,
            updatedAt: now,
          })
          .where(and(queued(input.requestId), sql`json_type(${t.steps}, ${path}) is null`))
          .returning();
        return row ?? null;
      });
    },

    completeAccountDeleteRequest: (input) =>
      completeAccountDeleteRequestWithSteps(database, { ...input, steps: {} }),

    async recordAccountDeleteError(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({ lastError: input.error, errorCount: sql`${t.errorCount} + 1`, updatedAt: now })
          .where(queued(input.requestId))
          .returning();
        return row ?? null;
      });
    },

    async failAccountDeleteRequest(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({ status: "failed", lastError: input.error, failedAt: now, updatedAt: now })
          .where(queued(input.requestId))
          .returning();
        return row ?? null;
      });
    },

    async describeAccountDeleteBacklog(input) {
      requireTime(input.now, "now");
      return database.run((db) => backlogFigure(db, t, t.requestedAt, isQueued));
    },

    async describeBlockedAccountDeleteBacklog(input) {
      const failedSince = requireTime(input.failedSince, "failedSince");
      return database.run((db) =>
        backlogFigure(
          db,
          t,
          t.requestedAt,
          sql`${t.status} = 'failed' and ${t.failedAt} >= ${toStoredTime(failedSince)}`,
        ),
      );
    },
  };
}

/**
 * Records `steps` (none of them recorded yet) and completes a `queued` request in one
 * statement; `null` when it was not queued or a step was already recorded. With no steps it is
 * `completeAccountDeleteRequest`; with all of them, the one-transaction erasure's closing write.
 */
export function completeAccountDeleteRequestWithSteps(
  database: MikaSqliteDatabase,
  input: { requestId: string; steps: MikaAccountDeleteStepCounts; now: ISODateTime },
): Promise<MikaAccountDeleteRequestRecord | null> {
  const t = database.tables.accountDeleteRequests;
  const now = requireTime(input.now, "now");
  const records: Record<string, MikaAccountDeleteStepRecord> = {};
  for (const [name, value] of Object.entries(input.steps)) {
    const step = requireOneOf(name, MIKA_ACCOUNT_DELETE_STEPS, "step");
    records[step] = {
      status: "completed",
      completedAt: now,
      value: requireWholeNumber(value, "value", 0),
    };
  }
  // Step names are the fixed list above, so no JSON path is ever user text.
  const unrecorded = Object.keys(records).map(
    (step) => sql`json_type(${t.steps}, ${`$.${step}`}) is null`,
  );
  return database.run(async (db) => {
    const [row] = await db
      .update(t)
      .set({
        status: "completed",
        steps: sql`json_patch(${t.steps}, json(${JSON.stringify(records)}))`,
        completedAt: now,
        // An earlier retry's error text goes too: the request is done.
        lastError: null,
        userId: null,
        emailHash: null,
        tokenHash: null,
        updatedAt: now,
      })
      .where(and(eq(t.id, input.requestId), sql`${t.status} = 'queued'`, ...unrecorded))
      .returning();
    return row ?? null;
  });
}
