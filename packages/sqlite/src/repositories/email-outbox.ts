import {
  createRandomId,
  type ISODateTime,
  isUnreadableRow,
  MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
  type MikaEmailCompletion,
  type MikaEmailOutboxPort,
  type MikaEmailOutboxRecord,
  type MikaRowRead,
  recordOrThrow,
} from "@mika-maintenance/core";
import { and, eq, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import { ERASED_EMAIL_SKIP_REASON } from "../constants.ts";
import type { MikaSqliteDatabase } from "../database.ts";
import {
  optionalTime,
  requireLeaseExtension,
  requireLimit,
  requireString,
  requireText,
  requireTime,
  requireWholeNumber,
} from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import type { emailOutboxTable } from "../schema/email-outbox.ts";
import { objectColumn, readStoredRow, storedColumns } from "../schema/read-stored-row.ts";
import { emailDueAt } from "./due-conditions.ts";
import {
  CLEARED_LEASE,
  exhaustedAt,
  extendLeasedRow,
  heldBy as heldLease,
  reclaimExhaustedRows,
  takeLease,
  takeLeasedRow,
} from "./leased-rows.ts";
import { insertRow } from "./rows.ts";
import { backlogFigure, changes, updateSubjectRows } from "./sql-helpers.ts";
import { newSweepBatchSize } from "./sweep.ts";

const REDACTED = "[redacted]";

/** Completions in one statement at most; bigger batches take one statement per chunk. */
const COMPLETION_CHUNK = 500;

type EmailTable = ReturnType<typeof emailOutboxTable>;

/**
 * One email row selected with `storedColumns`, decoded on its own: the record, or an
 * unreadable row naming the column (so a claim or list can fail just that email).
 */
export function readEmailRow(
  table: EmailTable,
  stored: Record<string, unknown>,
): MikaRowRead<MikaEmailOutboxRecord> {
  return readStoredRow(table, stored, objectColumn("metadata", "metadata"));
}

/** The outbox part of `repositories.ops`, over `<prefix>email_outbox`. */
export function createSqliteEmailOutbox(database: MikaSqliteDatabase): MikaEmailOutboxPort {
  const t = database.tables.emailOutbox;
  const reclaimBatchSize = newSweepBatchSize();
  const dueOrder = sql`coalesce(${t.nextAttemptAt}, ${t.createdAt})`;

  const isDue = (now: ISODateTime): SQL => emailDueAt(t, now);

  function heldBy(emailId: string, leaseKey: string): SQL {
    return heldLease(t, emailId, leaseKey, "queued");
  }

  /**
   * One statement settling every completion whose lease still holds, each under its own key
   * (`UPDATE … FROM json_each(?)`). Ids must be distinct: SQLite's RETURNING cannot name the
   * key that matched, so a row is known by its id.
   */
  async function settleDistinct(
    completions: readonly MikaEmailCompletion[],
    now: ISODateTime,
  ): Promise<Map<string, MikaEmailOutboxRecord>> {
    const nowMs = toStoredTime(now);
    const payload = JSON.stringify(
      completions.map((c) => ({
        id: c.emailId,
        key: c.leaseKey,
        outcome: c.outcome,
        error: c.outcome === "failed" ? c.error : null,
        retryAt:
          c.outcome === "failed" && c.nextAttemptAt !== null
            ? toStoredTime(requireTime(c.nextAttemptAt, "nextAttemptAt"))
            : null,
        messageId: c.outcome === "sent" ? (c.providerMessageId ?? null) : null,
        reason: c.outcome === "skipped" ? c.reason : null,
      })),
    );
    const v = sql.raw("v");
    const rows = await database.run((db) =>
      db
        .update(t)
        .set({
          status: sql`case ${v}.outcome when 'released' then ${t.status} else ${v}.outcome end`,
          sentAt: sql`case when ${v}.outcome = 'sent' then ${nowMs} else ${t.sentAt} end`,
          providerMessageId: sql`case when ${v}.outcome = 'sent' then ${v}.message_id else ${t.providerMessageId} end`,
          lastError: sql`case when ${v}.outcome = 'failed' then ${v}.error else ${t.lastError} end`,
          nextAttemptAt: sql`case when ${v}.outcome = 'failed' then ${v}.retry_at else ${t.nextAttemptAt} end`,
          skipReason: sql`case when ${v}.outcome = 'skipped' then ${v}.reason else ${t.skipReason} end`,
          attemptCount: sql`case when ${v}.outcome = 'released' then max(${t.attemptCount} - 1, 0) else ${t.attemptCount} end`,
          ...CLEARED_LEASE,
          updatedAt: now,
        })
        .from(
          sql`(select json_extract(value, '$.id') as id, json_extract(value, '$.key') as lease_key,
                json_extract(value, '$.outcome') as outcome, json_extract(value, '$.error') as error,
                json_extract(value, '$.retryAt') as retry_at,
                json_extract(value, '$.messageId') as message_id,
                json_extract(value, '$.reason') as reason
              from json_each(${payload})) as v`,
        )
        .where(
          and(
            sql`${t.id} = ${v}.id`,
            sql`${t.leaseKey} = ${v}.lease_key`,
            sql`${t.status} = 'queued'`,
          ),
        )
        .returning(),
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  return {
    async enqueueEmail(input) {
      const now = requireTime(input.now, "now");
      const row: MikaEmailOutboxRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        status: "queued",
        to: requireText(input.to, "to"),
        subject: requireString(input.subject, "subject"),
        text: input.text ?? null,
        html: input.html ?? null,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        metadata: input.metadata ?? {},
        attemptCount: 0,
        maxAttempts: requireWholeNumber(
          input.maxAttempts ?? MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
          "maxAttempts",
          1,
        ),
        nextAttemptAt: optionalTime(input.nextAttemptAt, "nextAttemptAt"),
        ...CLEARED_LEASE,
        lastError: null,
        sentAt: null,
        providerMessageId: null,
        skipReason: null,
        redactedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      return insertRow(database, t, row);
    },

    async getEmail(emailId) {
      return database.run(async (db) => {
        const [row] = await db.select(storedColumns(t)).from(t).where(eq(t.id, emailId));
        return row ? recordOrThrow(readEmailRow(t, row)) : null;
      });
    },

    async listDueEmails(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      if (limit === 0) return [];
      const rows = await database.run((db) =>
        db.select(storedColumns(t)).from(t).where(isDue(now)).orderBy(dueOrder, t.id).limit(limit),
      );
      return rows.map((row) => readEmailRow(t, row));
    },

    async setAsideUnreadableEmail(input) {
      const now = requireTime(input.now, "now");
      const error = requireText(input.error, "error");
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({
            status: "failed",
            lastError: error,
            nextAttemptAt: null,
            attemptCount: sql`max(${t.attemptCount}, ${t.maxAttempts})`,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(and(eq(t.id, input.emailId), sql`${t.status} in ('queued', 'failed')`));
        return changes(result) > 0;
      });
    },

    async tryLeaseEmail(input) {
      return takeLeasedRow<MikaEmailOutboxRecord>(database, t, input.emailId, input, {
        status: "queued",
        takeable: isDue,
        alsoSet: { lastError: null },
      });
    },

    async extendEmailLease(input) {
      return extendLeasedRow<MikaEmailOutboxRecord>(database, t, {
        ...requireLeaseExtension(input, "emailId"),
        status: "queued",
      });
    },

    async claimDueEmails(input) {
      const now = requireTime(input.now, "now");
      const leaseExpiresAt = requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      const leaseKey = requireText(input.leaseKey, "leaseKey");
      const limit = requireLimit(input.limit);
      return database.run(async (db) => {
        const picked = db.select({ id: t.id }).from(t).where(isDue(now)).orderBy(dueOrder, t.id);
        // One write statement leases the batch; the probe runs in the same implicit
        // transaction of the batch call, after it, so it sees the claimed rows as leased.
        const [claimed, left] = await db.batch([
          db
            .update(t)
            .set({
              ...takeLease(t, {
                now,
                leaseKey: sql`${leaseKey} || ':' || ${t.id}`,
                leaseExpiresAt,
                status: "queued" as const,
              }),
              lastError: null,
            })
            .where(inArray(t.id, picked.limit(limit)))
            .returning(storedColumns(t)),
          db.select({ one: sql`1` }).from(t).where(isDue(now)).limit(1),
        ]);
        // Each claimed row is decoded on its own: an unreadable one stands in the list as such.
        const read = claimed.map((row) => readEmailRow(t, row));
        const dueAtOf = (entry: (typeof read)[number]) =>
          isUnreadableRow(entry) ? "" : (entry.nextAttemptAt ?? entry.createdAt);
        const emails = read.sort((a, b) =>
          dueAtOf(a) === dueAtOf(b) ? (a.id < b.id ? -1 : 1) : dueAtOf(a) < dueAtOf(b) ? -1 : 1,
        );
        return { emails, hasMore: left.length > 0 };
      });
    },

    async completeEmails(input) {
      const now = requireTime(input.now, "now");
      const results = new Map<MikaEmailCompletion, MikaEmailOutboxRecord | null>();
      let rest = [...input.completions];
      while (rest.length > 0) {
        // Rare: the same id twice in one batch goes into a later statement.
        const seen = new Set<string>();
        const distinct: MikaEmailCompletion[] = [];
        const later: MikaEmailCompletion[] = [];
        for (const completion of rest) {
          if (seen.has(completion.emailId) || distinct.length >= COMPLETION_CHUNK) {
            later.push(completion);
          } else {
            seen.add(completion.emailId);
            distinct.push(completion);
          }
        }
        const settled = await settleDistinct(distinct, now);
        for (const completion of distinct) {
          results.set(completion, settled.get(completion.emailId) ?? null);
        }
        rest = later;
      }
      return input.completions.map((completion) => results.get(completion) ?? null);
    },

    async completeEmail(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            status: "sent",
            sentAt: now,
            providerMessageId: input.providerMessageId ?? null,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(heldBy(input.emailId, input.leaseKey))
          .returning();
        return row ?? null;
      });
    },

    async markEmailDelivered(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [delivered] = await db
          .update(t)
          .set({
            status: "sent",
            sentAt: now,
            providerMessageId: sql`coalesce(${input.providerMessageId ?? null}, ${t.providerMessageId})`,
            lastError: null,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(and(eq(t.id, input.emailId), ne(t.status, "sent")))
          .returning();
        if (delivered) return delivered;
        // Already sent (idempotent: the first sentAt stays) or missing.
        const [existing] = await db.select().from(t).where(eq(t.id, input.emailId));
        return existing ?? null;
      });
    },

    async failEmail(input) {
      const now = requireTime(input.now, "now");
      const nextAttemptAt = optionalTime(input.nextAttemptAt, "nextAttemptAt");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            status: "failed",
            lastError: input.error,
            nextAttemptAt,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(heldBy(input.emailId, input.leaseKey))
          .returning();
        return row ?? null;
      });
    },

    async skipEmail(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({ status: "skipped", skipReason: input.reason, ...CLEARED_LEASE, updatedAt: now })
          .where(heldBy(input.emailId, input.leaseKey))
          .returning();
        return row ?? null;
      });
    },

    async reclaimExhaustedEmails(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      return reclaimExhaustedRows(
        database,
        t,
        exhaustedAt(t, "queued", now, sql`${t.lastError} is null`),
        { status: "failed", lastError: input.error, updatedAt: now },
        limit,
        reclaimBatchSize,
      );
    },

    async redactEmailsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const unsent = sql`${t.status} in ('queued', 'failed')`;
      return updateSubjectRows(
        database,
        t,
        input,
        {
          // Every SET expression reads the row as it was before this UPDATE.
          status: sql`case when ${unsent} then 'skipped' else ${t.status} end`,
          skipReason: sql`case when ${unsent} then ${ERASED_EMAIL_SKIP_REASON} else ${t.skipReason} end`,
          to: sql`'redacted-' || ${t.id} || '@redacted.invalid'`,
          subject: REDACTED,
          text: sql`case when ${t.text} is null then null else ${REDACTED} end`,
          html: sql`case when ${t.html} is null then null else ${REDACTED} end`,
          metadata: {},
          userId: null,
          emailHash: null,
          // A provider error may echo the recipient address.
          lastError: sql`case when ${t.lastError} is null then null else ${REDACTED} end`,
          ...CLEARED_LEASE,
          redactedAt: now,
          updatedAt: now,
        },
        isNull(t.redactedAt),
      );
    },

    async describeEmailBacklog(input) {
      const now = requireTime(input.now, "now");
      return database.run((db) => backlogFigure(db, t, dueOrder, isDue(now)));
    },
  };
}
