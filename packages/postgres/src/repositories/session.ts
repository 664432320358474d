import type { MikaCartRecord, MikaCartStatus, MikaSessionRepository } from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { CartsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { timestampsOf } from "./convert.ts";
import { findById } from "./find-by-id.ts";

function toRecord(row: Selectable<CartsTable>): MikaCartRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as MikaCartStatus,
    ...timestampsOf(row),
  };
}

/** `repositories.session`: carts of the storefront. */
export function createPostgresSession({ db }: PostgresRepositoryContext): MikaSessionRepository {
  return {
    async upsertCart(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("carts")
        .values({
          id: input.id,
          customer_id: input.customerId ?? null,
          status: input.status,
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) =>
          conflict.column("id").doUpdateSet({
            ...(input.customerId === undefined ? {} : { customer_id: input.customerId }),
            status: input.status,
            updated_at: now,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getCart(cartId) {
      const row = await findById(db, "carts", cartId);
      return row ? toRecord(row) : null;
    },

    async listCheckoutPendingCartsByCustomer(input) {
      const rows = await db
        .selectFrom("carts")
        .selectAll()
        .where(sql<boolean>`status = 'checkout_pending'`)
        .where("customer_id", "=", input.customerId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
  };
}
