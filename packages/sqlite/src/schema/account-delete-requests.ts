import type {
  MikaAccountDeleteRequestRecord,
  MikaAccountDeleteRequestStatus,
} from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** Queued GDPR erasure requests and the steps they completed. */
export function accountDeleteRequestsTable(prefix: string) {
  const name = `${prefix}account_delete_requests`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      status: text("status").$type<MikaAccountDeleteRequestStatus>().notNull(),
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      tokenHash: text("token_hash"),
      steps: jsonText("steps").$type<MikaAccountDeleteRequestRecord["steps"]>().notNull(),
      errorCount: integer("error_count").notNull(),
      lastError: text("last_error"),
      requestedAt: isoTime("requested_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
      completedAt: isoTime("completed_at"),
      failedAt: isoTime("failed_at"),
    },
    (t) => [
      // listQueuedAccountDeleteRequests: oldest queued first.
      index(`${name}_queue_idx`).on(t.requestedAt, t.id).where(sql`${t.status} = 'queued'`),
      // describeBlockedAccountDeleteBacklog: failures since an instant.
      index(`${name}_failed_idx`).on(t.failedAt).where(sql`${t.status} = 'failed'`),
    ],
  );
}
