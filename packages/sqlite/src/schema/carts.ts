import type { MikaCartStatus } from "@mika-maintenance/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime } from "./columns.ts";

/** Storefront carts; one pending checkout blocks an erasure. */
export function cartsTable(prefix: string) {
  const name = `${prefix}carts`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      customerId: text("customer_id"),
      status: text("status").$type<MikaCartStatus>().notNull(),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
    },
    (t) => [index(`${name}_customer_idx`).on(t.customerId, t.status)],
  );
}
