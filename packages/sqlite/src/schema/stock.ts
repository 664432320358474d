import type { MikaStockReservationStatus } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { isoTime } from "./columns.ts";

/** Stock-keeping units with on-hand and reserved quantities. */
export function stockItemsTable(prefix: string) {
  return sqliteTable(`${prefix}stock_items`, {
    id: text("id").primaryKey(),
    quantityOnHand: integer("quantity_on_hand").notNull(),
    quantityReserved: integer("quantity_reserved").notNull(),
    updatedAt: isoTime("updated_at").notNull(),
  });
}

/** Stock held for a cart or checkout until it expires. */
export function stockReservationsTable(prefix: string) {
  const name = `${prefix}stock_reservations`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      stockItemId: text("stock_item_id").notNull(),
      customerId: text("customer_id"),
      cartId: text("cart_id"),
      quantity: integer("quantity").notNull(),
      status: text("status").$type<MikaStockReservationStatus>().notNull(),
      idempotencyKey: text("idempotency_key"),
      expiresAt: isoTime("expires_at").notNull(),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
      endedAt: isoTime("ended_at"),
    },
    (t) => [
      // releaseExpiredReservations and the backlog: only active reservations are indexed.
      index(`${name}_expiry_idx`).on(t.expiresAt, t.id).where(sql`${t.status} = 'active'`),
      index(`${name}_customer_idx`).on(t.customerId).where(sql`${t.status} = 'active'`),
      // Keys are cleared when a reservation ends, so only active reservations hold one.
      uniqueIndex(`${name}_idempotency_idx`)
        .on(t.idempotencyKey)
        .where(sql`${t.idempotencyKey} is not null`),
    ],
  );
}
