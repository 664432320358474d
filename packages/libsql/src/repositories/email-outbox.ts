import {
  createRandomId,
  type ISODateTime,
  MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
  type MikaEmailOutboxPort,
  type MikaEmailOutboxRecord,
  type MikaRowRead,
  recordOrThrow,
} from "@mika-maintenance/core";
import { and, eq, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import type { MikaLibsqlDatabase } from "../database/libsql-database.ts";
import {
  optionalTime,
  requireLimit,
  requireString,
  requireText,
  requireTime,
  requireWholeNumber,
} from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import type { emailOutboxTable } from "../schema/email-outbox.ts";
import { objectColumn, readStoredRow, storedColumns } from "../schema/read-stored-row.ts";
import { anyRow, backlogFigure, matchesSubject } from "./sql-helpers.ts";

/** The `skipReason` of a queued or failed email an erasure stopped. */
export const ERASED_EMAIL_SKIP_REASON =
  "Erased by an account-delete request before it was sent; contents redacted.";

const REDACTED = "[redacted]";

const CLEARED_LEASE = { leaseKey: null, leasedAt: null, leaseExpiresAt: null } as const;

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
export function createLibsqlEmailOutbox(database: MikaLibsqlDatabase): MikaEmailOutboxPort {
  const t = database.tables.emailOutbox;
  // The literal status list and attempt check repeat the due index's WHERE clause, so that
  // SQLite can prove the partial index covers the query.
  const sendable = sql`${t.status} in ('queued', 'failed') and ${t.attemptCount} < ${t.maxAttempts}`;
  const dueOrder = sql`coalesce(${t.nextAttemptAt}, ${t.createdAt})`;

  function isDue(now: ISODateTime): SQL {
    const nowMs = toStoredTime(now);
    return sql`${sendable}
      and (${t.leaseExpiresAt} is null or ${t.leaseExpiresAt} <= ${nowMs})
      and (${t.nextAttemptAt} is null or ${t.nextAttemptAt} <= ${nowMs})`;
  }

  function heldBy(emailId: string, leaseKey: string): SQL {
    return and(eq(t.id, emailId), sql`${t.status} = 'queued'`, eq(t.leaseKey, leaseKey))!;
  }

  function isExhausted(now: ISODateTime): SQL {
    return sql`${t.status} = 'queued'
      and ${t.leaseExpiresAt} <= ${toStoredTime(now)}
      and ${t.attemptCount} >= ${t.maxAttempts}
      and ${t.lastError} is null`;
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
      return database.run(async (db) => (await db.insert(t).values(row).returning())[0]!);
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
        return result.rowsAffected > 0;
      });
    },

    async tryLeaseEmail(input) {
      const now = requireTime(input.now, "now");
      const leaseExpiresAt = requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      const leaseKey = requireText(input.leaseKey, "leaseKey");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            status: "queued",
            leaseKey,
            leasedAt: now,
            leaseExpiresAt,
            attemptCount: sql`${t.attemptCount} + 1`,
            lastError: null,
            updatedAt: now,
          })
          .where(and(eq(t.id, input.emailId), isDue(now)))
          .returning();
        return row ?? null;
      });
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
      return database.transaction(async (db) => {
        const reclaimed =
          limit === 0
            ? []
            : await db
                .update(t)
                .set({ status: "failed", lastError: input.error, ...CLEARED_LEASE, updatedAt: now })
                .where(
                  inArray(
                    t.id,
                    db
                      .select({ id: t.id })
                      .from(t)
                      .where(isExhausted(now))
                      .orderBy(t.leaseExpiresAt, t.id)
                      .limit(limit),
                  ),
                )
                .returning({ id: t.id });
        const hasMore = await anyRow(db, t, isExhausted(now));
        return { scanned: reclaimed.length, reclaimed: reclaimed.length, hasMore };
      });
    },

    async redactEmailsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const subject = matchesSubject(t, input);
      if (!subject) return 0;
      const unsent = sql`${t.status} in ('queued', 'failed')`;
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({
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
          })
          .where(and(isNull(t.redactedAt), subject));
        return result.rowsAffected;
      });
    },

    async describeEmailBacklog(input) {
      const now = requireTime(input.now, "now");
      return database.run((db) => backlogFigure(db, t, dueOrder, isDue(now)));
    },
  };
}
