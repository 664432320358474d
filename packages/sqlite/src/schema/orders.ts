import type { MikaOrderCustomerSnapshot } from "@mika-maintenance/core";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** Orders, kept for the ledger after their buyer is erased. */
export function ordersTable(prefix: string) {
  const name = `${prefix}orders`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      customerSnapshot: jsonText("customer_snapshot").$type<MikaOrderCustomerSnapshot>().notNull(),
      totalMinor: integer("total_minor").notNull(),
      currency: text("currency").notNull(),
      status: text("status").notNull(),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
      anonymizedAt: isoTime("anonymized_at"),
    },
    (t) => [
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}
