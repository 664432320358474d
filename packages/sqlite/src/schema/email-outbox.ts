import type { MikaEmailStatus, MikaMetadata } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** The email outbox: queued mail, its leases and its delivery history. */
export function emailOutboxTable(prefix: string) {
  const name = `${prefix}email_outbox`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      status: text("status").$type<MikaEmailStatus>().notNull(),
      to: text("to_address").notNull(),
      subject: text("subject").notNull(),
      text: text("text_body"),
      html: text("html_body"),
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      metadata: jsonText("metadata").$type<MikaMetadata>().notNull(),
      attemptCount: integer("attempt_count").notNull(),
      maxAttempts: integer("max_attempts").notNull(),
      nextAttemptAt: isoTime("next_attempt_at"),
      leaseKey: text("lease_key"),
      leasedAt: isoTime("leased_at"),
      leaseExpiresAt: isoTime("lease_expires_at"),
      lastError: text("last_error"),
      sentAt: isoTime("sent_at"),
      providerMessageId: text("provider_message_id"),
      skipReason: text("skip_reason"),
      redactedAt: isoTime("redacted_at"),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
    },
    (t) => [
      // listDueEmails: due order over the emails that can still be sent.
      index(`${name}_due_idx`)
        .on(sql`coalesce(${t.nextAttemptAt}, ${t.createdAt})`, t.id)
        .where(sql`${t.status} in ('queued', 'failed') and ${t.attemptCount} < ${t.maxAttempts}`),
      // reclaimExhaustedEmails: queued emails whose lease ran out.
      index(`${name}_lease_idx`)
        .on(t.leaseExpiresAt, t.id)
        .where(sql`${t.status} = 'queued' and ${t.leaseExpiresAt} is not null`),
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}
