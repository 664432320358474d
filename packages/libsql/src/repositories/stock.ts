import {
  createRandomId,
  type ISODateTime,
  type MikaStockRepository,
  type MikaStockReservationRecord,
} from "@mika-maintenance/core";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { MikaDrizzle, MikaLibsqlDatabase } from "../database/libsql-database.ts";
import { requireLimit, requireText, requireTime, requireWholeNumber } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { reservationExpired } from "./due-conditions.ts";
import { anyRow, backlogFigure } from "./sql-helpers.ts";

/** How many of a customer's reservations an erasure releases per transaction. */
const CUSTOMER_RELEASE_BATCH = 500;

interface EndedReservation {
  id: string;
  stockItemId: string;
  quantity: number;
}

/** `repositories.stock`: stock items and the reservations that hold them. */
export function createLibsqlStock(database: MikaLibsqlDatabase): MikaStockRepository {
  const items = database.tables.stockItems;
  const reservations = database.tables.stockReservations;
  // The literal repeats the partial indexes' WHERE clause.
  const isActive = sql`${reservations.status} = 'active'`;

  const isExpired = (now: ISODateTime): SQL => reservationExpired(reservations, now);

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
   * Ends up to `limit` reservations matching `condition` and gives their stock back: the stock
   * items first, from the picked reservations' quantities summed per item, then the
   * reservations. Both statements pick the same rows because they run in one write
   * transaction, and nothing else can write until it commits. Rows go by rowid, which the
   * partial indexes hold, and no reservation row travels back to this process.
   */
  async function endReservations(
    db: MikaDrizzle,
    condition: SQL,
    order: SQL[],
    limit: number,
    status: "expired" | "released",
    now: ISODateTime,
  ): Promise<{ ended: number; stockItemIds: string[] }> {
    if (limit === 0) return { ended: 0, stockItemIds: [] };
    const picked = sql`select rowid from ${reservations} where ${condition}
      order by ${sql.join(order, sql`, `)} limit ${limit}`;
    const reserved = sql.identifier(items.quantityReserved.name);
    const updatedAt = sql.identifier(items.updatedAt.name);
    const touched = await db.all<{ id: string }>(sql`
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
      returning ${items.id} as id`);
    const result = await db
      .update(reservations)
      .set({ status, idempotencyKey: null, endedAt: now, updatedAt: now })
      .where(sql`rowid in (${picked})`);
    return { ended: result.rowsAffected, stockItemIds: touched.map((row) => row.id) };
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
      return database.transaction(async (db) => {
        const { ended, stockItemIds } = await endReservations(
          db,
          isExpired(now),
          [reservations.expiresAt, reservations.id].map((column) => sql`${column}`),
          limit,
          "expired",
          now,
        );
        return {
          reservationsScanned: ended,
          reservationsReleased: ended,
          stockItems: stockItemIds.length,
          // Inside the write transaction nothing else can end or add reservations, so a batch
          // short of the limit ended every expired one.
          hasMore: ended === limit && (await anyRow(db, reservations, isExpired(now))),
        };
      });
    },

    async releaseActiveReservationsByCustomer(input) {
      const now = requireTime(input.now, "now");
      const customerId = requireText(input.customerId, "customerId");
      const condition = sql`${isActive} and ${reservations.customerId} = ${customerId}`;
      let released = 0;
      // Bounded batches, each its own transaction, until a batch comes back short.
      for (;;) {
        const batch = await database.transaction(async (db) => {
          const { ended } = await endReservations(
            db,
            condition,
            [sql`${reservations.id}`],
            CUSTOMER_RELEASE_BATCH,
            "released",
            now,
          );
          return ended;
        });
        released += batch;
        if (batch < CUSTOMER_RELEASE_BATCH) return released;
      }
    },

    async describeExpiredReservationBacklog(input) {
      const now = requireTime(input.now, "now");
      return database.run((db) =>
        backlogFigure(db, reservations, reservations.expiresAt, isExpired(now)),
      );
    },
  };
}
