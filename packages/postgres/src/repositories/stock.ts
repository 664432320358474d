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
  /** The stock items the batch gave quantity back to: their ids when asked for, else a count. */
  stockItems: { ids: string[] } | { count: number };
  more: boolean;
  /** The expiry key to continue after (see `ExpiryKey`); only with `more`. */
  after: ExpiryKey | null;
}

/**
 * A position in `stock_reservations_active_expiry_idx` (`expires_at, id`): the last
 * reservation a batch took. The next batch's pick and the rows-left check start after it
 * instead of at the head of the index, where the entries of rows this call already ended
 * stay (dead, each a heap visit) until vacuum clears them. `expiresAt` travels as the
 * server's own text so that no precision is lost on the way through JavaScript.
 */
interface ExpiryKey {
  expiresAt: string;
  id: string;
}

/** Before every key: an empty id sorts first in every collation. */
const INDEX_HEAD: ExpiryKey = { expiresAt: "-infinity", id: "" };

/**
 * Ends the active reservations `pickIds` selects (a locking `select id …`) and gives their
 * quantity back, in ONE statement (one round trip, one commit): the reservations are ended,
 * their quantities summed per stock item, the stock rows locked in id order (so two
 * concurrent releases never deadlock) and then decremented. Only the touched items come
 * back: their ids with `itemIds` (a caller that counts distinct items over several batches),
 * else their count, which saves sending hundreds of ids back per batch. With `more`, the same statement also answers "anything left?" after a short batch or
 * at the limit, and returns the key to continue after: `pickIds` then also selects
 * `expires_at`, the last picked row (or `more.after` when none was) is that key, and the
 * rows-left check walks the index from it, past the rows just picked (which its snapshot
 * still shows as active) without visiting them.
 */
async function endReservations(
  db: Db,
  pickIds: RawBuilder<unknown>,
  status: "expired" | "released",
  now: string,
  itemIds: boolean,
  more?: {
    size: number;
    last: boolean;
    after: ExpiryKey;
    rowsLeft: (after: RawBuilder<boolean>) => RawBuilder<boolean>;
  },
): Promise<Released> {
  const reservations = sql.table("stock_reservations");
  const items = sql.table("stock_items");
  const afterLastPicked = sql<boolean>`(expires_at, id) > (
    (select expires_at from after), (select id from after))`;
  const moreColumns = more
    ? sql`case when (select count(*) from picked) = ${more.size} and not ${more.last}
        then true else ${more.rowsLeft(afterLastPicked)} end as more,
        (select expires_at::text from after) as after_expires_at,
        (select id from after) as after_id`
    : sql`false as more, null as after_expires_at, null as after_id`;
  const after = more
    ? sql`, after as (
        select expires_at, id from picked
        union all select ${more.after.expiresAt}::timestamptz, ${more.after.id}::text
        order by 1 desc, 2 desc limit 1
      )`
    : sql``;
  const touchedItems = itemIds
    ? sql`array(select id from touched)`
    : sql`(select count(*) from touched)`;
  const { rows } = await sql<{
    ended: string | number;
    items: string[] | string | number;
    more: boolean;
    after_expires_at: string | null;
    after_id: string | null;
  }>`
    with picked as materialized (${pickIds})${after},
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
    select (select count(*) from ended) as ended, ${touchedItems} as items,
      ${moreColumns}
  `.execute(db);
  const row = rows[0];
  return {
    ended: toNumber(row?.ended ?? 0),
    stockItems: Array.isArray(row?.items)
      ? { ids: row.items }
      : { count: toNumber(row?.items ?? 0) },
    more: row?.more ?? false,
    after:
      row?.after_expires_at != null && row.after_id != null
        ? { expiresAt: row.after_expires_at, id: row.after_id }
        : null,
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
      const { ended } = await endReservations(db, pick, "released", now, false);
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
      let stockItemCount = 0;
      let batches = 0;
      // Each batch continues after the last reservation the one before it took (see
      // `ExpiryKey`). Rows another sweeper held when they were skipped are not revisited in
      // this call: that sweeper ends them, or the next call finds them again.
      let after = INDEX_HEAD;
      const { count, hasMore } = await sweepInBatches(
        limit,
        expiryBatchSize,
        async ({ size, last }) => {
          batches += 1;
          // A call that is one batch (the usual: the default limit is under a batch) needs
          // only the count of items; any other needs their ids, to count each item once.
          const onlyBatch = batches === 1 && last;
          const pick = sql`
          select id, expires_at from ${reservations}
          where ${due} and (expires_at, id) > (${after.expiresAt}::timestamptz, ${after.id}::text)
          order by ${orderBy}
          limit ${size}
          for update skip locked`;
          const released = await endReservations(db, pick, "expired", now, !onlyBatch, {
            size,
            last,
            after,
            rowsLeft: (afterLastPicked) =>
              rowsLeft({ table: reservations, where: due, orderBy, excluding: afterLastPicked }),
          });
          if ("ids" in released.stockItems) {
            for (const id of released.stockItems.ids) stockItems.add(id);
          } else stockItemCount = released.stockItems.count;
          after = released.after ?? after;
          return { count: released.ended, more: released.more };
        },
      );
      return {
        reservationsScanned: count,
        reservationsReleased: count,
        stockItems: stockItems.size + stockItemCount,
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
          const { ended } = await endReservations(db, pick, "released", now, false);
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
