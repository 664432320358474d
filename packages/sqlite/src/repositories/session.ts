import type { MikaSessionRepository } from "@mika-maintenance/core";
import { and, asc, eq } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireOneOf, requireText, requireTime } from "../input.ts";
import { CART_STATUSES } from "../statuses.ts";

/** `repositories.session`: storefront carts, over `<prefix>carts`. */
export function createSqliteSession(database: MikaSqliteDatabase): MikaSessionRepository {
  const t = database.tables.carts;

  return {
    async upsertCart(input) {
      const now = requireTime(input.now, "now");
      const row = {
        id: requireText(input.id, "id"),
        customerId: input.customerId ?? null,
        status: requireOneOf(input.status, CART_STATUSES, "status"),
        createdAt: now,
        updatedAt: now,
      };
      return database.run(async (db) => {
        const [stored] = await db
          .insert(t)
          .values(row)
          .onConflictDoUpdate({
            target: t.id,
            set: {
              status: row.status,
              updatedAt: now,
              // Left out, the customer stays as stored; an explicit null detaches the cart.
              ...(input.customerId === undefined ? {} : { customerId: input.customerId }),
            },
          })
          .returning();
        return stored!;
      });
    },

    async getCart(cartId) {
      return database.run(async (db) => {
        const [row] = await db.select().from(t).where(eq(t.id, cartId));
        return row ?? null;
      });
    },

    async listCheckoutPendingCartsByCustomer(input) {
      return database.run((db) =>
        db
          .select()
          .from(t)
          .where(and(eq(t.customerId, input.customerId), eq(t.status, "checkout_pending")))
          .orderBy(asc(t.createdAt), asc(t.id)),
      );
    },
  };
}
