import {
  createRandomId,
  type ISODateTime,
  type MikaStockRepository,
  sweepInBatches,
} from "@mika-maintenance/core";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { MikaSqliteDatabase, MikaSqliteDrizzle } from "../database.ts";
import { requireLimit, requireText, requireTime, requireWholeNumber } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { reservationExpired } from "./due-conditions.ts";
import { rowById } from "./rows.ts";
import { backlogFigure, changes } from "./sql-helpers.ts";
import { newSweepBatchSize } from "./sweep.ts";

/** `repositories.stock`: stock items and the reservations that hold them. */
export function createSqliteStock(database: MikaSqliteDatabase): MikaStockRepository {
  const items = database.tables.stockItems;
  const reservations = database.tables.stockReservations;
  const expiryBatchSize = newSweepBatchSize();
  const customerBatchSize = newSweepBatchSize();
  // The literal repeats the partial indexes' WHERE clause.
  const isActive = sql`${reservations.status} = 'active'`;

  const isExpired = (now: ISODateTime): SQL => reservationExpired(reservations, now);

  /**
   * Gives the quantities of the reservations `picked` (a select of rowids) back to their stock
   * items, summed per item and never below 0, as one statement for a batch that ends those
   * reservations after it. Each item is updated once, so the statement's change count is the
   * number of items; `returning` their ids is only needed to count distinct items across
   * batches.
   */
  function giveBackPicked(picked: SQL, now: ISODateTime, returningIds: boolean): SQL {
    const reserved = sql.identifier(items.quantityReserved.name);
    const updatedAt = sql.identifier(items.updatedAt.name);
    return sql`
      update ${items}
      set ${reserved} = max(0, ${reserved} - released.quantity),
          ${updatedAt} = ${toStoredTime(now)}
      from (
        select ${reservations.stockItemId} as stock_item_id, sum(${reservations.quantity}) as quantity
        from ${reservations}
        where rowid in (${picked})
        group by ${reservations.stockItemId}
      ) as released
      where ${items.id} = released.stock_item_id${returningIds ? sql` returning ${items.id} as id` : sql``}`;
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
    db: MikaSqliteDrizzle,
    condition: SQL,
    order: SQL[],
    limit: number,
    status: "expired" | "released",
    now: ISODateTime,
    stockItemIds: boolean,
  ): Promise<{ ended: number; stockItems: number; stockItemIds: string[]; more: boolean }> {
    const picked = sql`select rowid from ${reservations} where ${condition}
      order by ${sql.join(order, sql`, `)} limit ${limit}`;
    const end = db
      .update(reservations)
      .set({ status, idempotencyKey: null, endedAt: now, updatedAt: now })
      .where(sql`rowid in (${picked})`);
    const left = db.all<{ one: number }>(
      sql`select 1 as one from ${reservations} where ${condition} limit 1`,
    );
    if (stockItemIds) {
      const [touched, ended, rest] = await db.batch([
        db.all<{ id: string }>(giveBackPicked(picked, now, true)),
        end,
        left,
      ]);
      const ids = touched.map((row) => row.id);
      return {
        ended: changes(ended),
        stockItems: ids.length,
        stockItemIds: ids,
        more: rest.length > 0,
      };
    }
    const [touched, ended, rest] = await db.batch([
      db.run(giveBackPicked(picked, now, false)),
      end,
      left,
    ]);
    return {
      ended: changes(ended),
      stockItems: changes(touched),
      stockItemIds: [],
      more: rest.length > 0,
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
      return rowById(database, items, stockItemId);
    },

    async reserveStock(input) {
      const now = requireTime(input.now, "now");
      const expiresAt = requireTime(input.expiresAt, "expiresAt");
      const quantity = requireWholeNumber(input.quantity, "quantity", 1);
      const idempotencyKey = input.idempotencyKey ?? null;
      const id = input.id === undefined ? createRandomId() : requireText(input.id, "id");
      const stockItemId = input.stockItemId;
      const column = (name: keyof typeof reservations.$inferSelect) =>
        sql.identifier(reservations[name].name);
      const repeated =
        idempotencyKey === null
          ? sql`0`
          : sql`exists (select 1 from ${reservations}
              where ${reservations.idempotencyKey} = ${idempotencyKey} and ${isActive})`;
      const stored = toStoredTime(now);
      // One atomic batch: the reservation is inserted only when no active one holds the key
      // and the item has the quantity free; the item is held only when that insert happened
      // (the id is new, so finding it means this batch wrote it); then the reservation the
      // caller gets, new or repeated.
      const [, , [reservation]] = await database.run((db) =>
        db.batch([
          db.run(sql`
            insert into ${reservations} (${column("id")}, ${column("stockItemId")},
              ${column("customerId")}, ${column("cartId")}, ${column("quantity")},
              ${column("status")}, ${column("idempotencyKey")}, ${column("expiresAt")},
              ${column("createdAt")}, ${column("updatedAt")}, ${column("endedAt")})
            select ${id}, ${stockItemId}, ${input.customerId ?? null}, ${input.cartId ?? null},
              ${quantity}, 'active', ${idempotencyKey}, ${toStoredTime(expiresAt)},
              ${stored}, ${stored}, null
            where not ${repeated} and exists (select 1 from ${items}
              where ${items.id} = ${stockItemId}
                and ${items.quantityOnHand} - ${items.quantityReserved} >= ${quantity})`),
          db
            .update(items)
            .set({ quantityReserved: sql`${items.quantityReserved} + ${quantity}`, updatedAt: now })
            .where(
              and(
                eq(items.id, stockItemId),
                sql`exists (select 1 from ${reservations} where ${reservations.id} = ${id})`,
              ),
            ),
          db
            .select()
            .from(reservations)
            .where(
              idempotencyKey === null
                ? eq(reservations.id, id)
                : and(eq(reservations.idempotencyKey, idempotencyKey), isActive),
            ),
        ]),
      );
      return reservation ?? null;
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
      const isThisOne = and(eq(reservations.id, input.reservationId), isActive);
      // One atomic batch: the stock back first (it reads the reservation while still active),
      // then the reservation ended.
      const [, [released]] = await database.run((db) =>
        db.batch([
          db.run(
            giveBackPicked(sql`select rowid from ${reservations} where ${isThisOne}`, now, false),
          ),
          db
            .update(reservations)
            .set({ status: "released", idempotencyKey: null, endedAt: now, updatedAt: now })
            .where(isThisOne)
            .returning(),
        ]),
      );
      return released ?? null;
    },

    async releaseExpiredReservations(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      const order = [reservations.expiresAt, reservations.id].map((column) => sql`${column}`);
      const stockItems = new Set<string>();
      let itemsOfOneBatch = 0;
      let first = true;
      const { count, hasMore } = await sweepInBatches(
        limit,
        expiryBatchSize,
        async ({ size, last }) => {
          // A call that is one batch (the default limit) counts its items from the update's
          // change count; only a call of several batches needs the ids to count each item once.
          const oneBatch = first && last;
          first = false;
          const released = await database.run((db) =>
            endReservations(db, isExpired(now), order, size, "expired", now, !oneBatch),
          );
          if (oneBatch) itemsOfOneBatch = released.stockItems;
          for (const id of released.stockItemIds) stockItems.add(id);
          return { count: released.ended, more: released.more };
        },
      );
      return {
        reservationsScanned: count,
        reservationsReleased: count,
        stockItems: itemsOfOneBatch + stockItems.size,
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
            endReservations(db, condition, [sql`${reservations.id}`], size, "released", now, false),
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
