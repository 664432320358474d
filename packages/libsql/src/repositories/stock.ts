import {
  createRandomId,
  type ISODateTime,
  type MikaStockRepository,
  type MikaStockReservationRecord,
  sweepInBatches,
} from "@mika-maintenance/core";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { MikaDrizzle, MikaLibsqlDatabase } from "../database/libsql-database.ts";
import { requireLimit, requireText, requireTime, requireWholeNumber } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { backlogFigure } from "./sql-helpers.ts";
import { newSweepBatchSize } from "./sweep.ts";

interface EndedReservation {
  id: string;
  stockItemId: string;
  quantity: number;
}

/** `repositories.stock`: stock items and the reservations that hold them. */
export function createLibsqlStock(database: MikaLibsqlDatabase): MikaStockRepository {
  const items = database.tables.stockItems;
  const reservations = database.tables.stockReservations;
  const expiryBatchSize = newSweepBatchSize();
  const customerBatchSize = newSweepBatchSize();
  // The literal repeats the partial indexes' WHERE clause.
  const isActive = sql`${reservations.status} = 'active'`;

  function isExpired(now: ISODateTime): SQL {
    return sql`${isActive} and ${reservations.expiresAt} <= ${toStoredTime(now)}`;
  }

  /**
   * Gives the quantity of ended reservations back to their stock items, never below 0, in one
   * statement. Returns the ids of the stock items that exist and were updated.
   */
  async function giveBack(
    db: MikaDrizzle,
    ended: readonly EndedReservation[],
    now: ISODateTime,
  ): Promise<string[]> {
    if (ended.length === 0) return [];
    const totals: Record<string, number> = {};
    for (const reservation of ended) {
      totals[reservation.stockItemId] =
        (totals[reservation.stockItemId] ?? 0) + reservation.quantity;
    }
    const reserved = sql.identifier(items.quantityReserved.name);
    const updatedAt = sql.identifier(items.updatedAt.name);
    const rows = await db.all<{ id: string }>(sql`
      update ${items}
      set ${reserved} = max(0, ${reserved} - released.value),
          ${updatedAt} = ${toStoredTime(now)}
      from json_each(${JSON.stringify(totals)}) as released
      where ${items.id} = released.key
      returning ${items.id} as id`);
    return rows.map((row) => row.id);
  }

  /**
   * Ends up to `limit` reservations matching `condition` and gives their stock back, in ONE
   * driver call (a write batch, atomic like a transaction): the stock items first, from the
   * picked reservations' quantities summed per item, then the reservations, then whether
   * matching reservations are left. Nothing else can write between the statements, so both
   * updates pick the same rows. Rows go by rowid, which the partial indexes hold, and no
   * reservation row travels back to this process.
   */
  async function endReservations(
    db: MikaDrizzle,
    condition: SQL,
    order: SQL[],
    limit: number,
    status: "expired" | "released",
    now: ISODateTime,
  ): Promise<{ ended: number; stockItemIds: string[]; more: boolean }> {
    const picked = sql`select rowid from ${reservations} where ${condition}
      order by ${sql.join(order, sql`, `)} limit ${limit}`;
    const reserved = sql.identifier(items.quantityReserved.name);
    const updatedAt = sql.identifier(items.updatedAt.name);
    const [touched, ended, left] = await db.batch([
      db.all<{ id: string }>(sql`
        update ${items}
        set ${reserved} = max(0, ${reserved} - released.quantity),
            ${updatedAt} = ${toStoredTime(now)}
        from (
          select ${reservations.stockItemId} as stock_item_id, sum(${reservations.quantity}) as quantity
          from ${reservations}
          where rowid in (${picked})
          group by ${reservations.stockItemId}
        ) as released
        where ${items.id} = released.stock_item_id
        returning ${items.id} as id`),
      db
        .update(reservations)
        .set({ status, idempotencyKey: null, endedAt: now, updatedAt: now })
        .where(sql`rowid in (${picked})`),
      db.all<{ one: number }>(sql`select 1 as one from ${reservations} where ${condition} limit 1`),
    ]);
    return {
      ended: ended.rowsAffected,
      stockItemIds: touched.map((row) => row.id),
      more: left.length > 0,
    };
  }

  return {
    async upsertStockItem(input) {
      const now = requireTime(input.now, "now");
      const id = requireText(input.id, "id");
      const quantityOnHand = requireWholeNumber(input.quantityOnHand, "quantityOnHand", 0);
      return database.run(async (db) => {
        const [stored] = await db
          .insert(items)
          .values({ id, quantityOnHand, quantityReserved: 0, updatedAt: now })
          .onConflictDoUpdate({ target: items.id, set: { quantityOnHand, updatedAt: now } })
          .returning();
        return stored!;
      });
    },

    async getStockItem(stockItemId) {
      return database.run(async (db) => {
        const [row] = await db.select().from(items).where(eq(items.id, stockItemId));
        return row ?? null;
      });
    },

    async reserveStock(input) {
      const now = requireTime(input.now, "now");
      const expiresAt = requireTime(input.expiresAt, "expiresAt");
      const quantity = requireWholeNumber(input.quantity, "quantity", 1);
      const idempotencyKey = input.idempotencyKey ?? null;
      const id = input.id === undefined ? createRandomId() : requireText(input.id, "id");
      return database.transaction(async (db) => {
        if (idempotencyKey !== null) {
          const [repeated] = await db
            .select()
            .from(reservations)
            .where(and(eq(reservations.idempotencyKey, idempotencyKey), isActive));
          if (repeated) return repeated;
        }
        const held = await db
          .update(items)
          .set({ quantityReserved: sql`${items.quantityReserved} + ${quantity}`, updatedAt: now })
          .where(
            and(
              eq(items.id, input.stockItemId),
              sql`${items.quantityOnHand} - ${items.quantityReserved} >= ${quantity}`,
            ),
          )
          .returning({ id: items.id });
        if (held.length === 0) return null;
        const row: MikaStockReservationRecord = {
          id,
          stockItemId: input.stockItemId,
          customerId: input.customerId ?? null,
          cartId: input.cartId ?? null,
          quantity,
          status: "active",
          idempotencyKey,
          expiresAt,
          createdAt: now,
          updatedAt: now,
          endedAt: null,
        };
        return (await db.insert(reservations).values(row).returning())[0]!;
      });
    },

    async getReservation(reservationId) {
      return database.run(async (db) => {
        const [row] = await db
          .select()
          .from(reservations)
          .where(eq(reservations.id, reservationId));
        return row ?? null;
      });
    },

    async releaseReservation(input) {
      const now = requireTime(input.now, "now");
      return database.transaction(async (db) => {
        const [released] = await db
          .update(reservations)
          .set({ status: "released", idempotencyKey: null, endedAt: now, updatedAt: now })
          .where(and(eq(reservations.id, input.reservationId), isActive))
          .returning();
        if (!released) return null;
        await giveBack(db, [released], now);
        return released;
      });
    },

    async releaseExpiredReservations(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      const order = [reservations.expiresAt, reservations.id].map((column) => sql`${column}`);
      const stockItems = new Set<string>();
      const { count, hasMore } = await sweepInBatches(limit, expiryBatchSize, async ({ size }) => {
        const released = await database.run((db) =>
          endReservations(db, isExpired(now), order, size, "expired", now),
        );
        for (const id of released.stockItemIds) stockItems.add(id);
        return { count: released.ended, more: released.more };
      });
      return {
        reservationsScanned: count,
        reservationsReleased: count,
        stockItems: stockItems.size,
        hasMore,
      };
    },

    async releaseActiveReservationsByCustomer(input) {
      const now = requireTime(input.now, "now");
      const customerId = requireText(input.customerId, "customerId");
      const condition = sql`${isActive} and ${reservations.customerId} = ${customerId}`;
      // Bounded batches, each its own write batch, until none is left.
      const { count } = await sweepInBatches(
        Number.MAX_SAFE_INTEGER,
        customerBatchSize,
        async ({ size }) => {
          const released = await database.run((db) =>
            endReservations(db, condition, [sql`${reservations.id}`], size, "released", now),
          );
          return { count: released.ended, more: released.more };
        },
      );
      return count;
    },

    async describeExpiredReservationBacklog(input) {
      const now = requireTime(input.now, "now");
      return database.run((db) =>
        backlogFigure(db, reservations, reservations.expiresAt, isExpired(now)),
      );
    },
  };
}
