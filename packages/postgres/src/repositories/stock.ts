import {
  createRandomId,
  type MikaStockItemRecord,
  type MikaStockRepository,
  type MikaStockReservationRecord,
  type MikaStockReservationStatus,
} from "@mika-maintenance/core";
import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import { requireLimit, requireTime, requireWholeNumber } from "../input.ts";
import type {
  MikaPostgresDatabase,
  StockItemsTable,
  StockReservationsTable,
} from "../schema/tables.ts";
import { runInBatches } from "./batches.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { toIso, toIsoOrNull, toNumber } from "./convert.ts";
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
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    endedAt: toIsoOrNull(row.ended_at),
  };
}

/** Thrown inside the reserve transaction to roll back the stock hold when a twin call won. */
class IdempotencyKeyTaken extends Error {}

interface ReleasedPerItem {
  id: string;
  quantity: number | string;
  ended: number | string;
}

/**
 * Ends the active reservations picked by `pickIds` (a locking `select id …`) and gives their
 * quantity back, inside the caller's transaction. Stock rows are locked in id order before they
 * are decremented, so concurrent batches never deadlock on each other.
 */
async function endReservations(
  trx: Db,
  pickIds: RawBuilder<unknown>,
  status: "expired" | "released",
  now: string,
): Promise<{ ended: number; stockItemIds: string[] }> {
  const reservations = sql.table("stock_reservations");
  const items = sql.table("stock_items");
  // Summed per stock item in SQL: one row per item comes back, not one per reservation.
  const { rows } = await sql<ReleasedPerItem>`
    with ended as (
      update ${reservations}
      set status = ${status}, idempotency_key = null, ended_at = ${now}, updated_at = ${now}
      where id = any(array(${pickIds})) and status = 'active'
      returning stock_item_id, quantity
    )
    select stock_item_id as id, sum(quantity) as quantity, count(*) as ended
    from ended
    group by stock_item_id
  `.execute(trx);
  if (rows.length === 0) return { ended: 0, stockItemIds: [] };

  // Two array parameters, however many items: a VALUES list of one pair per item made every
  // batch parse, bind and plan a thousand parameters.
  const ids = rows.map((row) => row.id);
  const quantities = rows.map((row) => toNumber(row.quantity));
  // `= any(array(subquery))` keeps the key set opaque to the planner, so it probes the primary
  // key for each id instead of hash-joining a batch-sized list against a sequential scan.
  const keys = sql`array(select unnest(${ids}::text[]))`;
  await sql`select id from ${items} where id = any(${keys}) order by id for update`.execute(trx);
  const { rows: touched } = await sql<{ id: string }>`
    update ${items} as s
    set quantity_reserved = greatest(0, s.quantity_reserved - d.quantity), updated_at = ${now}
    from unnest(${ids}::text[], ${quantities}::int[]) as d (id, quantity)
    where s.id = d.id and s.id = any(${keys})
    returning s.id
  `.execute(trx);
  const ended = rows.reduce((sum, row) => sum + toNumber(row.ended), 0);
  return { ended, stockItemIds: touched.map((row) => row.id) };
}

/** `repositories.stock`: stock items and reservations over `<prefix>stock_*`. */
export function createPostgresStock({
  db,
  batchSize,
}: PostgresRepositoryContext): MikaStockRepository {
  const reservations = sql.table("stock_reservations");

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
      const now = requireTime(input.now, "now");
      const quantityOnHand = requireWholeNumber(input.quantityOnHand, "quantityOnHand", 0);
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
      const row = await db
        .selectFrom("stock_items")
        .selectAll()
        .where("id", "=", stockItemId)
        .executeTakeFirst();
      return row ? toItem(row) : null;
    },

    async reserveStock(input) {
      const now = requireTime(input.now, "now");
      const expiresAt = requireTime(input.expiresAt, "expiresAt");
      const quantity = requireWholeNumber(input.quantity, "quantity", 1);
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
      const row = await db
        .selectFrom("stock_reservations")
        .selectAll()
        .where("id", "=", reservationId)
        .executeTakeFirst();
      return row ? toReservation(row) : null;
    },

    async releaseReservation(input) {
      const now = requireTime(input.now, "now");
      return db.transaction().execute(async (trx) => {
        const pick = sql`select id from ${reservations} where id = ${input.reservationId} and status = 'active' for update`;
        const { ended } = await endReservations(trx, pick, "released", now);
        if (ended === 0) return null;
        const row = await trx
          .selectFrom("stock_reservations")
          .selectAll()
          .where("id", "=", input.reservationId)
          .executeTakeFirstOrThrow();
        return toReservation(row);
      });
    },

    async releaseExpiredReservations(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit, "limit");
      const stockItems = new Set<string>();
      const { count, hasMore } = await runInBatches(limit, batchSize, (size) =>
        db.transaction().execute(async (trx) => {
          const pick = sql`
            select id from ${reservations}
            where status = 'active' and expires_at <= ${now}
            order by expires_at, id
            limit ${size}
            for update skip locked`;
          const { ended, stockItemIds } =
            size === 0
              ? { ended: 0, stockItemIds: [] }
              : await endReservations(trx, pick, "expired", now);
          for (const id of stockItemIds) stockItems.add(id);
          // A later statement of the same transaction: it already sees this batch as ended.
          const { rows } = await sql<{ more: boolean }>`
            select ${rowsLeft({
              table: reservations,
              where: sql`status = 'active' and expires_at <= ${now}`,
              orderBy: sql`expires_at, id`,
            })} as more
          `.execute(trx);
          return { count: ended, more: rows[0]?.more ?? false };
        }),
      );
      return {
        reservationsScanned: count,
        reservationsReleased: count,
        stockItems: stockItems.size,
        hasMore,
      };
    },

    async releaseActiveReservationsByCustomer(input) {
      const now = requireTime(input.now, "now");
      // Erasure must leave nothing active, so it waits for rows other workers hold
      // (no SKIP LOCKED), still in batches that each commit on their own.
      const { count } = await runInBatches(Number.MAX_SAFE_INTEGER, batchSize, (size) =>
        db.transaction().execute(async (trx) => {
          const pick = sql`
            select id from ${reservations}
            where status = 'active' and customer_id = ${input.customerId}
            order by id
            limit ${size}
            for update`;
          const { ended } = await endReservations(trx, pick, "released", now);
          return { count: ended, more: ended === size };
        }),
      );
      return count;
    },

    async describeExpiredReservationBacklog(input) {
      const now = requireTime(input.now, "now");
      const row = await db
        .selectFrom("stock_reservations")
        .select([
          sql<string | number>`count(*)`.as("count"),
          sql<Date | string | null>`min(expires_at)`.as("oldest"),
        ])
        .where(sql<boolean>`status = 'active'`)
        .where("expires_at", "<=", now)
        .executeTakeFirstOrThrow();
      return { count: toNumber(row.count), oldestAt: toIsoOrNull(row.oldest) };
    },
  };
}
