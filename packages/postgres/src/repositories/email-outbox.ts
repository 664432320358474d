import {
  createRandomId,
  isUnreadableRow,
  MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
  type MikaEmailCompletion,
  type MikaEmailOutboxPort,
  type MikaEmailOutboxRecord,
  type MikaEmailStatus,
  type MikaRowRead,
  recordOrThrow,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { EmailOutboxTable } from "../schema/tables.ts";
import { backlogFigure } from "./backlog-figure.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import {
  jsonParam,
  subjectOf,
  timestampsOf,
  toIsoOrNull,
  toMetadata,
  toNumber,
} from "./convert.ts";
import { erasureMatch, hasErasureSubject, subjectColumns } from "./erasure.ts";
import { findById } from "./find-by-id.ts";
import { CLEARED_LEASE, claimRows, leasedTable, reclaimExhaustedRows } from "./leased-rows.ts";
import { jsonObjectColumn, readStoredRow } from "./read-row.ts";

/** The `skipReason` of a queued or failed email an erasure stopped. */
export const ERASED_EMAIL_SKIP_REASON =
  "Erased by an account-delete request before it was sent; contents redacted.";
const REDACTED_TEXT = "[redacted]";

/** Sendable rows, written exactly as the partial index `email_outbox_due_idx` is. */
const SENDABLE = sql<boolean>`status in ('queued', 'failed') and attempt_count < max_attempts`;
/** Rows whose worker may have died holding the last lease (`email_outbox_exhausted_idx`). */
export const EXHAUSTED_EMAIL = sql<boolean>`status = 'queued' and last_error is null and attempt_count >= max_attempts`;

/** What `claimDueEmails` and `listDueEmails` take at `now` (`email_outbox_due_idx`). */
export function dueAt(now: string) {
  return sql<boolean>`${SENDABLE}
    and (lease_expires_at is null or lease_expires_at <= ${now})
    and (next_attempt_at is null or next_attempt_at <= ${now})`;
}

/** Maps a row of `<prefix>email_outbox` to the port's record. */
export function toEmailRecord(row: Selectable<EmailOutboxTable>): MikaEmailOutboxRecord {
  return {
    id: row.id,
    status: row.status as MikaEmailStatus,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    ...subjectOf(row),
    metadata: toMetadata(row.metadata),
    attemptCount: toNumber(row.attempt_count),
    maxAttempts: toNumber(row.max_attempts),
    nextAttemptAt: toIsoOrNull(row.next_attempt_at),
    leaseKey: row.lease_key,
    leasedAt: toIsoOrNull(row.leased_at),
    leaseExpiresAt: toIsoOrNull(row.lease_expires_at),
    lastError: row.last_error,
    sentAt: toIsoOrNull(row.sent_at),
    providerMessageId: row.provider_message_id,
    skipReason: row.skip_reason,
    redactedAt: toIsoOrNull(row.redacted_at),
    ...timestampsOf(row),
  };
}

/** The order due emails are claimed in (`email_outbox_due_idx`). */
export const DUE_ORDER = sql`coalesce(next_attempt_at, created_at), id`;

/** A completion's outcome as the batched update reads it, one array per column. */
function completionColumns(completions: readonly MikaEmailCompletion[]) {
  return {
    ids: completions.map((c) => c.emailId),
    keys: completions.map((c) => c.leaseKey),
    outcomes: completions.map((c) => c.outcome),
    errors: completions.map((c) => (c.outcome === "failed" ? c.error : null)),
    retries: completions.map((c) =>
      c.outcome === "failed" ? portInput.optionalTime(c.nextAttemptAt, "nextAttemptAt") : null,
    ),
    messageIds: completions.map((c) =>
      c.outcome === "sent" ? (c.providerMessageId ?? null) : null,
    ),
    reasons: completions.map((c) => (c.outcome === "skipped" ? c.reason : null)),
  };
}
/**
 * One email row as pg returned it, read on its own: the record, or an unreadable row naming
 * `table` (as `tableLabel` gives it), the row and the column. For lists and claims.
 */
export function readEmailRow(
  table: string,
  row: Selectable<EmailOutboxTable>,
): MikaRowRead<MikaEmailOutboxRecord> {
  return readStoredRow(table, row, toEmailRecord, jsonObjectColumn("metadata"));
}

/** The outbox half of `repositories.ops`, over `<prefix>email_outbox`. */
export function createPostgresEmailOutbox({
  db,
  newBatchSize,
  tableLabel,
}: PostgresRepositoryContext): MikaEmailOutboxPort {
  const reclaimBatchSize = newBatchSize();
  const label = tableLabel("email_outbox");
  const leased = leasedTable(db, "email_outbox", "queued", toEmailRecord);
  const { table } = leased;

  /**
   * Records completions in one statement, each a compare-and-set on its row's lease key: one
   * entry per completion, the updated email or `null` where the lease was lost.
   */
  async function settle(
    now: string,
    completions: readonly MikaEmailCompletion[],
  ): Promise<(MikaEmailOutboxRecord | null)[]> {
    if (completions.length === 0) return [];
    const c = completionColumns(completions);
    // One statement: each row is settled only while its own lease key still holds it.
    const { rows } = await sql<Selectable<EmailOutboxTable> & { settled_key: string }>`
      update ${table} as t set
        status = case v.outcome when 'released' then t.status else v.outcome end,
        sent_at = case when v.outcome = 'sent' then ${now}::timestamptz else t.sent_at end,
        provider_message_id = case when v.outcome = 'sent' then v.message_id else t.provider_message_id end,
        last_error = case when v.outcome = 'failed' then v.error else t.last_error end,
        next_attempt_at = case when v.outcome = 'failed' then v.retry_at else t.next_attempt_at end,
        skip_reason = case when v.outcome = 'skipped' then v.reason else t.skip_reason end,
        attempt_count = case when v.outcome = 'released' then greatest(t.attempt_count - 1, 0) else t.attempt_count end,
        lease_key = null, leased_at = null, lease_expires_at = null, updated_at = ${now}
      from unnest(${c.ids}::text[], ${c.keys}::text[], ${c.outcomes}::text[], ${c.errors}::text[],
                  ${c.retries}::timestamptz[], ${c.messageIds}::text[], ${c.reasons}::text[])
        as v(id, lease_key, outcome, error, retry_at, message_id, reason)
      where t.id = v.id and t.status = 'queued' and t.lease_key = v.lease_key
      returning t.*, v.lease_key as settled_key
    `.execute(db);
    const settled = new Map(rows.map((row) => [`${row.id}\u0000${row.settled_key}`, row]));
    return completions.map((completion) => {
      const row = settled.get(`${completion.emailId}\u0000${completion.leaseKey}`);
      return row ? toEmailRecord(row) : null;
    });
  }

  return {
    async enqueueEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("email_outbox")
        .values({
          id: input.id === undefined ? createRandomId() : portInput.requireText(input.id, "id"),
          status: "queued",
          to_address: portInput.requireText(input.to, "to"),
          subject: portInput.requireString(input.subject, "subject"),
          text_body: input.text ?? null,
          html_body: input.html ?? null,
          ...subjectColumns(input),
          metadata: jsonParam(input.metadata),
          attempt_count: 0,
          max_attempts: portInput.requireWholeNumber(
            input.maxAttempts ?? MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
            "maxAttempts",
            1,
          ),
          next_attempt_at: portInput.optionalTime(input.nextAttemptAt, "nextAttemptAt"),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEmailRecord(row);
    },

    async getEmail(emailId) {
      const row = await findById(db, "email_outbox", emailId);
      return row ? recordOrThrow(readEmailRow(label, row)) : null;
    },

    async listDueEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit, "limit");
      if (limit === 0) return [];
      const rows = await db
        .selectFrom("email_outbox")
        .selectAll()
        .where(dueAt(now))
        .orderBy(sql`coalesce(next_attempt_at, created_at)`)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map((row) => readEmailRow(label, row));
    },

    async setAsideUnreadableEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      const result = await db
        .updateTable("email_outbox")
        .set({
          status: "failed",
          last_error: input.error,
          next_attempt_at: null,
          attempt_count: sql`greatest(attempt_count, max_attempts)`,
          ...CLEARED_LEASE,
          updated_at: now,
        })
        .where("id", "=", input.emailId)
        .where(sql<boolean>`status in ('queued', 'failed')`)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async tryLeaseEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      const leaseExpiresAt = portInput.requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      return leased.take(
        input.emailId,
        { leaseKey: input.leaseKey, now, leaseExpiresAt },
        dueAt(now),
        sql`, last_error = null`,
      );
    },

    async extendEmailLease(input) {
      return leased.extend(portInput.requireLeaseExtension(input, "emailId"));
    },

    async claimDueEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      const leaseExpiresAt = portInput.requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      const limit = portInput.requireLimit(input.limit, "limit");
      const leaseKey = portInput.requireText(input.leaseKey, "leaseKey");
      const { rows, more } = await claimRows<Selectable<EmailOutboxTable>>(db, {
        table,
        due: dueAt(now),
        orderBy: DUE_ORDER,
        limit,
        set: sql`status = 'queued', lease_key = ${leaseKey}::text || ':' || id, leased_at = ${now},
          lease_expires_at = ${leaseExpiresAt}, attempt_count = attempt_count + 1,
          last_error = null, updated_at = ${now}`,
      });
      // Each claimed row is read on its own: an unreadable one stands in the list as such.
      const read = rows.map((row) => readEmailRow(label, row));
      const dueAtOf = (entry: (typeof read)[number]) =>
        isUnreadableRow(entry) ? "" : (entry.nextAttemptAt ?? entry.createdAt);
      const emails = read.sort((a, b) =>
        dueAtOf(a) === dueAtOf(b) ? (a.id < b.id ? -1 : 1) : dueAtOf(a) < dueAtOf(b) ? -1 : 1,
      );
      return { emails, hasMore: more };
    },

    async completeEmails(input) {
      return settle(portInput.requireTime(input.now, "now"), input.completions);
    },

    // The single-email outcomes are one-entry batches of completeEmails, settled the same way.
    async completeEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      return (await settle(now, [{ ...input, outcome: "sent" }]))[0] ?? null;
    },

    async markEmailDelivered(input) {
      const now = portInput.requireTime(input.now, "now");
      const providerMessageId = input.providerMessageId ?? null;
      // Idempotent: a row already `sent` is returned untouched (first sentAt and message id).
      const row = await db
        .updateTable("email_outbox")
        .set({
          status: "sent",
          sent_at: now,
          provider_message_id: sql<
            string | null
          >`coalesce(${providerMessageId}::text, provider_message_id)`,
          last_error: null,
          ...CLEARED_LEASE,
          updated_at: now,
        })
        .where("id", "=", input.emailId)
        .where("status", "<>", "sent")
        .returningAll()
        .executeTakeFirst();
      if (row) return toEmailRecord(row);
      const existing = await findById(db, "email_outbox", input.emailId);
      return existing ? toEmailRecord(existing) : null;
    },

    async failEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      return (await settle(now, [{ ...input, outcome: "failed" }]))[0] ?? null;
    },

    async skipEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      return (await settle(now, [{ ...input, outcome: "skipped" }]))[0] ?? null;
    },

    async reclaimExhaustedEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit, "limit");
      return reclaimExhaustedRows(db, {
        table,
        candidate: EXHAUSTED_EMAIL,
        set: sql`status = 'failed', last_error = ${input.error}`,
        now,
        limit,
        batchSize: reclaimBatchSize,
      });
    },

    async redactEmailsForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      const now = portInput.requireTime(input.now, "now");
      const result = await db
        .updateTable("email_outbox")
        .set({
          status: sql<string>`case when status in ('queued', 'failed') then 'skipped' else status end`,
          skip_reason: sql<
            string | null
          >`case when status in ('queued', 'failed') then ${ERASED_EMAIL_SKIP_REASON}::text else skip_reason end`,
          to_address: sql<string>`'redacted-' || id || '@redacted.invalid'`,
          subject: REDACTED_TEXT,
          text_body: sql<
            string | null
          >`case when text_body is null then null else ${REDACTED_TEXT}::text end`,
          html_body: sql<
            string | null
          >`case when html_body is null then null else ${REDACTED_TEXT}::text end`,
          metadata: jsonParam({}),
          user_id: null,
          email_hash: null,
          // A delivery error can quote the recipient address.
          last_error: sql<
            string | null
          >`case when last_error is null then null else ${REDACTED_TEXT}::text end`,
          ...CLEARED_LEASE,
          redacted_at: now,
          updated_at: now,
        })
        .where(sql<boolean>`redacted_at is null`)
        .where((eb) => erasureMatch(eb, input))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async describeEmailBacklog(input) {
      const now = portInput.requireTime(input.now, "now");
      return backlogFigure(
        db,
        "email_outbox",
        sql`coalesce(next_attempt_at, created_at)`,
        dueAt(now),
      );
    },
  };
}
