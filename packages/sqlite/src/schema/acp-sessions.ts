import type { MikaAcpSessionStatus, MikaMetadata } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** Agentic-commerce checkout sessions. */
export function acpSessionsTable(prefix: string) {
  const name = `${prefix}acp_sessions`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      status: text("status").$type<MikaAcpSessionStatus>().notNull(),
      payload: jsonText("payload").$type<MikaMetadata>().notNull(),
      version: integer("version").notNull(),
      expiresAt: isoTime("expires_at").notNull(),
      terminalAt: isoTime("terminal_at"),
      purgeAt: isoTime("purge_at"),
      expiredAt: isoTime("expired_at"),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
      // Added by 0003_erasure_subjects (decision 0011): the buyer, when known.
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
    },
    (t) => [
      // cleanupExpired, expiry half: open sessions only.
      index(`${name}_expiry_idx`)
        .on(t.expiresAt, t.id)
        .where(sql`${t.status} in ('not_ready_for_payment', 'ready_for_payment', 'in_progress')`),
      // cleanupExpired, purge half: terminal sessions only.
      index(`${name}_purge_idx`).on(t.purgeAt, t.id).where(sql`${t.purgeAt} is not null`),
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}
