import {
  createRandomId,
  type MikaStockItemRecord,
  type MikaStockRepository,
  type MikaStockReservationRecord,
  type MikaStockReservationStatus,
  sweepInBatches,
} from "@mika-maintenance/core";
import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type {
  MikaPostgresDatabase,
  StockItemsTable,
  StockReservationsTable,
} from "../schema/tables.ts";
import { backlogFigure } from "./backlog-figure.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { timestampsOf, toIso, toIsoOrNull, toNumber } from "./convert.ts";
import { findById } from "./find-by-id.ts";
import { rowsLeft } from "./rows-left.ts";

type Db = Kysely<MikaPostgresDatabase>;

function toItem(row: Selectable<StockItemsTable>): MikaStockItemRecord {
  return {
    id: row.id,
    quantityOnHand: toNumber(row.quantity_on_hand),
    quantityReserved: toNumber(row.quantity_reserved),
    updatedAt: toIso(row.updated_at),
  };
}

function toReservation(row: Selectable<StockReservationsTable>): MikaStockReservationRecord {
  return {
    id: row.id,
    stockItemId: row.stock_item_id,
    customerId: row.customer_id,
    cartId: row.cart_id,
    quantity: toNumber(row.quantity),
    status: row.status as MikaStockReservationStatus,
    idempotencyKey: row.idempotency_key,
    expiresAt: toIso(row.expires_at),
    ...timestampsOf(row),
    endedAt: toIsoOrNull(row.ended_at),
  };
}

/** Thrown inside the reserve transaction to roll back the stock hold when a twin call won. */
class IdempotencyKeyTaken extends Error {}

/** What one release statement did. */
interface Released {
  ended: number;
  stockItemIds: string[];
  more: boolean;
}

/**
 * Ends the active reservations `pickIds` selects (a locking `select id …`) and gives their
 * quantity back, in ONE statement (one round trip, one commit): the reservations are ended,
 * their quantities summed per stock item, the stock rows locked in id order (so two
 * concurrent releases never deadlock) and then decremented. Only the touched item ids come
 * back. With `more`, the same statement also answers "anything left?" after a short batch or
 * at the limit, excluding the rows it picked, which its snapshot still shows as active.
 */
async function endReservations(
  db: Db,
  pickIds: RawBuilder<unknown>,
  status: "expired" | "released",
  now: string,
  more?: { size: number; last: boolean; rowsLeft: RawBuilder<boolean> },
): Promise<Released> {
  const reservations = sql.table("stock_reservations");
  const items = sql.table("stock_items");
  const moreColumn = more
    ? sql`case when (select count(*) from picked) = ${more.size} and not ${more.last}
        then true else ${more.rowsLeft} end`
    : sql`false`;
  const { rows } = await sql<{ ended: string | number; items: string[]; more: boolean }>`
    with picked as materialized (${pickIds}),
    ended as (
      update ${reservations}
      set status = ${status}, idempotency_key = null, ended_at = ${now}, updated_at = ${now}
      where id = any(array(select id from picked)) and status = 'active'
      returning stock_item_id, quantity
    ),
    given as (
      select stock_item_id as id, sum(quantity)::int as quantity from ended group by stock_item_id
    ),
    touched as (
      update ${items} as s
      set quantity_reserved = greatest(0, s.quantity_reserved - given.quantity), updated_at = ${now}
      from given
      where s.id = given.id and s.id = any(array(
        select id from ${items} where id = any(array(select id from given)) order by id for update
      ))
      returning s.id
    )
    select (select count(*) from ended) as ended, array(select id from touched) as items,
      ${moreColumn} as more
  `.execute(db);
  const row = rows[0];
  return {
    ended: toNumber(row?.ended ?? 0),
    stockItemIds: row?.items ?? [],
    more: row?.more ?? false,
  };
}

/** `repositories.stock`: stock items and reservations over `<prefix>stock_*`. */
export function createPostgresStock({
  db,
  newBatchSize,
}: PostgresRepositoryContext): MikaStockRepository {
  const reservations = sql.table("stock_reservations");
  const expiryBatchSize = newBatchSize();
  const customerBatchSize = newBatchSize();

  async function findByIdempotencyKey(key: string) {
    const row = await db
      .selectFrom("stock_reservations")
      .selectAll()
      .where("idempotency_key", "=", key)
      .where(sql<boolean>`status = 'active'`)
      .executeTakeFirst();
    return row ? toReservation(row) : null;
  }

  return {
    async upsertStockItem(input) {
      const now = portInput.requireTime(input.now, "now");
      const quantityOnHand = portInput.requireWholeNumber(
        input.quantityOnHand,
        "quantityOnHand",
        0,
      );
      const row = await db
        .insertInto("stock_items")
        .values({
          id: input.id,
          quantity_on_hand: quantityOnHand,
          quantity_reserved: 0,
          updated_at: now,
        })
        .onConflict((conflict) =>
          conflict.column("id").doUpdateSet({ quantity_on_hand: quantityOnHand, updated_at: now }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toItem(row);
    },

    async getStockItem(stockItemId) {
      const row = await findById(db, "stock_items", stockItemId);
      return row ? toItem(row) : null;
    },

    async reserveStock(input) {
      const now = portInput.requireTime(input.now, "now");
      const expiresAt = portInput.requireTime(input.expiresAt, "expiresAt");
      const quantity = portInput.requireWholeNumber(input.quantity, "quantity", 1);
      const key = input.idempotencyKey ?? null;
      if (key) {
        const existing = await findByIdempotencyKey(key);
        if (existing) return existing;
      }
      try {
        return await db.transaction().execute(async (trx) => {
          const held = await trx
            .updateTable("stock_items")
            .set({
              quantity_reserved: sql<number>`quantity_reserved + ${quantity}::int`,
              updated_at: now,
            })
            .where("id", "=", input.stockItemId)
            .where(sql<boolean>`quantity_on_hand - quantity_reserved >= ${quantity}::int`)
            .returning("id")
            .executeTakeFirst();
          if (!held) return null;
          const row = await trx
            .insertInto("stock_reservations")
            .values({
              id: input.id ?? createRandomId(),
              stock_item_id: input.stockItemId,
              customer_id: input.customerId ?? null,
              cart_id: input.cartId ?? null,
              quantity,
              status: "active",
              idempotency_key: key,
              expires_at: expiresAt,
              created_at: now,
              updated_at: now,
            })
            .onConflict((conflict) =>
              conflict
                .column("idempotency_key")
                .where("idempotency_key", "is not", null)
                .doNothing(),
            )
            .returningAll()
            .executeTakeFirst();
          if (!row) throw new IdempotencyKeyTaken();
          return toReservation(row);
        });
      } catch (error) {
        // A concurrent call with the same key committed first: ours rolled back, return theirs.
        if (error instanceof IdempotencyKeyTaken && key) return findByIdempotencyKey(key);
        throw error;
      }
    },

    async getReservation(reservationId) {
      const row = await findById(db, "stock_reservations", reservationId);
      return row ? toReservation(row) : null;
    },

    async releaseReservation(input) {
      const now = portInput.requireTime(input.now, "now");
      const pick = sql`select id from ${reservations} where id = ${input.reservationId} and status = 'active' for update`;
      const { ended } = await endReservations(db, pick, "released", now);
      if (ended === 0) return null;
      const row = await db
        .selectFrom("stock_reservations")
        .selectAll()
        .where("id", "=", input.reservationId)
        .executeTakeFirstOrThrow();
      return toReservation(row);
    },

    async releaseExpiredReservations(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit, "limit");
      const due = sql<boolean>`status = 'active' and expires_at <= ${now}`;
      const orderBy = sql`expires_at, id`;
      const stockItems = new Set<string>();
      const { count, hasMore } = await sweepInBatches(
        limit,
        expiryBatchSize,
        async ({ size, last }) => {
          const pick = sql`
          select id from ${reservations}
          where ${due}
          order by ${orderBy}
          limit ${size}
          for update skip locked`;
          const released = await endReservations(db, pick, "expired", now, {
            size,
            last,
            rowsLeft: rowsLeft({
              table: reservations,
              where: due,
              orderBy,
              excluding: sql`id not in (select id from picked)`,
            }),
          });
          for (const id of released.stockItemIds) stockItems.add(id);
          return { count: released.ended, more: released.more };
        },
      );
      return {
        reservationsScanned: count,
        reservationsReleased: count,
        stockItems: stockItems.size,
        hasMore,
      };
    },

    async releaseActiveReservationsByCustomer(input) {
      const now = portInput.requireTime(input.now, "now");
      // Erasure must leave nothing active, so it waits for rows other workers hold
      // (no SKIP LOCKED), still in batches that each commit on their own.
      const { count } = await sweepInBatches(
        Number.MAX_SAFE_INTEGER,
        customerBatchSize,
        async ({ size }) => {
          const pick = sql`
            select id from ${reservations}
            where status = 'active' and customer_id = ${input.customerId}
            order by id
            limit ${size}
            for update`;
          const { ended } = await endReservations(db, pick, "released", now);
          return { count: ended, more: ended === size };
        },
      );
      return count;
    },

    async describeExpiredReservationBacklog(input) {
      const now = portInput.requireTime(input.now, "now");
      return backlogFigure(
        db,
        "stock_reservations",
        sql`expires_at`,
        sql<boolean>`status = 'active' and expires_at <= ${now}`,
      );
    },
  };
}
