import type { MikaEphemeralKind } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime } from "./columns.ts";

/** Tokens, nonces, locks, rate-limit counters and cache markers. */
export function ephemeralRecordsTable(prefix: string) {
  const name = `${prefix}ephemeral_records`;
  return sqliteTable(
    name,
    {
      kind: text("kind").$type<MikaEphemeralKind>().notNull(),
      key: text("key").notNull(),
      subjectHash: text("subject_hash"),
      value: text("value"),
      expiresAt: isoTime("expires_at").notNull(),
      createdAt: isoTime("created_at").notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.kind, t.key] }),
      // purgeExpired.
      index(`${name}_expiry_idx`).on(t.expiresAt),
      // deleteTokensBySubjectHashes (erasure), tokens only (0006): purges do not rewrite it.
      index(`${name}_token_subject_idx`).on(t.subjectHash, t.kind).where(sql`${t.kind} = 'token'`),
    ],
  );
}
