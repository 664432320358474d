import type { MikaBatchSize, MikaLeaseExtension } from "@mika-maintenance/core";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";
import { rowsLeft } from "./rows-left.ts";
import { sweep } from "./sweep.ts";

/**
 * The lease protocol an outbox email and a workflow share, written once: taking a lease,
 * the compare-and-set on a held lease, clearing it, claiming due rows in one statement and
 * reclaiming rows whose last allowed lease ran out.
 */

/** The lease columns of a row nobody holds. */
export const CLEARED_LEASE = { lease_key: null, leased_at: null, lease_expires_at: null } as const;

/** The compare-and-set of a held lease: the row is still `status` under `leaseKey`. */
export function heldBy(leaseKey: string, status: string): RawBuilder<boolean> {
  return sql<boolean>`status = ${status} and lease_key = ${leaseKey}`;
}

type Db = Kysely<MikaPostgresDatabase>;

/**
 * The lease protocol on one table whose leased rows have `status`, each row read as `read`
 * maps it: taking a lease and moving its end, each a compare-and-set in one statement.
 */
export function leasedTable<Row, Rec>(
  db: Db,
  name: "email_outbox" | "workflows",
  status: string,
  read: (row: Row) => Rec,
) {
  const table = sql.table(name);
  const first = (rows: Row[]) => (rows[0] === undefined ? null : read(rows[0]));
  return {
    table,
    /**
     * Leases row `id` to `leaseKey` until `leaseExpiresAt` when `eligible` holds: one more
     * attempt counted, `extra` assignments (as SQL) beside. Under READ COMMITTED a concurrent
     * lease makes the row fail `eligible` on re-check, so exactly one taker gets it.
     */
    async take(
      id: string,
      lease: { leaseKey: string; now: string; leaseExpiresAt: string },
      eligible: RawBuilder<boolean>,
      extra: RawBuilder<unknown> = sql``,
    ): Promise<Rec | null> {
      const { rows } = await sql<Row>`
        update ${table}
        set status = ${status}, lease_key = ${lease.leaseKey}, leased_at = ${lease.now},
          lease_expires_at = ${lease.leaseExpiresAt}, attempt_count = attempt_count + 1,
          updated_at = ${lease.now}${extra}
        where id = ${id} and ${eligible}
        returning *
      `.execute(db);
      return first(rows);
    },
    /**
     * Heartbeat: moves the lease's end while its key still holds the row in `status` and the
     * lease has not run out at `now`. `null` when the lease is lost.
     */
    async extend(lease: MikaLeaseExtension): Promise<Rec | null> {
      const { rows } = await sql<Row>`
        update ${table}
        set lease_expires_at = ${lease.leaseExpiresAt}, updated_at = ${lease.now}
        where id = ${lease.id} and ${heldBy(lease.leaseKey, status)}
          and lease_expires_at > ${lease.now}
        returning *
      `.execute(db);
      return first(rows);
    },
  };
}

/** How one table claims: which rows are due, in which order, and what a claim sets. */
export interface ClaimQuery {
  table: RawBuilder<unknown>;
  /** The due predicate, written as the partial index's predicate plus the due bound. */
  due: RawBuilder<boolean>;
  /** The partial index's columns, so the pick and the `more` probe walk that index. */
  orderBy: RawBuilder<unknown>;
  /** The `set` list of the claim, as SQL (`lease_key` must make each row's key its own). */
  set: RawBuilder<unknown>;
  limit: number;
}

/**
 * Leases up to `limit` due rows in ONE statement: the pick takes them `for update skip locked`
 * (rows another claimer is taking are passed over, never waited for, and a row whose due-ness
 * changed under the lock is re-checked), the update leases them, and the same statement says
 * whether due rows were left. Returns the claimed rows (unordered) and `more`.
 */
export async function claimRows<Row extends { id: unknown }>(
  db: Db,
  query: ClaimQuery,
): Promise<{ rows: Row[]; more: boolean }> {
  const { table, due, orderBy } = query;
  const { rows } = await sql<Row & { claim_more: boolean }>`
    with claimed as (
      update ${table} set ${query.set}
      where id = any(array(
        select id from ${table}
        where ${due}
        order by ${orderBy}
        limit ${query.limit}
        for update skip locked
      ))
      returning *
    )
    select claimed.*, probe.claim_more
    from (select ${rowsLeft({
      table,
      where: due,
      orderBy,
      excluding: sql`id not in (select id from claimed)`,
    })} as claim_more) as probe
    left join claimed on true
  `.execute(db);
  const more = rows[0]?.claim_more ?? false;
  return { rows: rows.filter((row) => row.id !== null), more };
}

/** How one table reclaims rows whose worker died holding the last allowed lease. */
export interface ReclaimQuery {
  table: RawBuilder<unknown>;
  /** Rows on their last allowed attempt, as the table's exhausted index holds them. */
  candidate: RawBuilder<boolean>;
  /** Extra `set` assignments (status, last error, finished time), as SQL. */
  set: RawBuilder<unknown>;
  now: string;
  limit: number;
  batchSize: MikaBatchSize;
}

/**
 * Reclaims up to `limit` exhausted rows (candidate, lease expired at `now`), oldest lease
 * first, in batches that each lock only their own rows; clears their lease.
 */
export async function reclaimExhaustedRows(
  db: Db,
  query: ReclaimQuery,
): Promise<{ scanned: number; reclaimed: number; hasMore: boolean }> {
  const { table, candidate, now } = query;
  const expired = sql<boolean>`${candidate} and lease_expires_at <= ${now}`;
  const { count, hasMore } = await sweep(
    db,
    {
      table,
      where: expired,
      orderBy: sql`lease_expires_at, id`,
      set: sql`${query.set}, lease_key = null, leased_at = null, lease_expires_at = null,
          updated_at = ${now}`,
    },
    query.limit,
    query.batchSize,
  );
  return { scanned: count, reclaimed: count, hasMore };
}
