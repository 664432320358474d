import type { MikaAccountExportStatus } from "@mika-maintenance/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime } from "./columns.ts";

/** Personal-data exports (GDPR access requests). */
export function accountExportsTable(prefix: string) {
  const name = `${prefix}account_exports`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      customerId: text("customer_id"),
      userId: text("user_id"),
      status: text("status").$type<MikaAccountExportStatus>().notNull(),
      artifactRef: text("artifact_ref"),
      downloadTokenHash: text("download_token_hash"),
      expiresAt: isoTime("expires_at"),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
    },
    (t) => [index(`${name}_customer_idx`).on(t.customerId), index(`${name}_user_idx`).on(t.userId)],
  );
}
