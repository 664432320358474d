import {
  type MikaBatchOutcome,
  type MikaBatchRequest,
  type MikaBatchSize,
  sweepInBatches,
} from "@mika-maintenance/core";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";
import { toNumber } from "./convert.ts";
import { rowsLeft } from "./rows-left.ts";

type Db = Kysely<MikaPostgresDatabase>;

/**
 * What differs between sweeps: which rows are due, in which order, and what happens to them.
 * Everything else (pick, act, count, rows left, the batch loop) is written once below.
 */
export interface SweepQuery {
  table: RawBuilder<unknown>;
  /** The due rows, written exactly as their partial index is. */
  where: RawBuilder<boolean>;
  /** The index order; the oldest due rows go first. */
  orderBy: RawBuilder<unknown>;
  /** The assignments of an update; without them the picked rows are deleted. */
  set?: RawBuilder<unknown>;
  /**
   * How rows are picked. `skip-locked` (default) takes them by id `for update skip locked`:
   * concurrent sweepers share the backlog, and a row whose due-ness changed under the lock is
   * re-checked. `by-ctid` takes them by physical row id with no row lock, one statement that
   * needs no returning: safe wherever a row that changed since the pick must be left alone,
   * because any change gives the row a new ctid, which the pick's ctid list no longer matches.
   */
  pick?: "skip-locked" | "by-ctid";
}

/** Works through up to `limit` due rows of `query` in adaptive batches; see `SweepQuery`. */
export function sweep(
  db: Db,
  query: SweepQuery,
  limit: number,
  batchSize: MikaBatchSize,
): Promise<{ count: number; hasMore: boolean }> {
  return sweepInBatches(limit, batchSize, (request) =>
    query.pick === "by-ctid"
      ? sweepByCtid(db, query, request)
      : sweepSkipLocked(db, query, request),
  );
}

function act({ table, set }: SweepQuery): RawBuilder<unknown> {
  return set ? sql`update ${table} set ${set}` : sql`delete from ${table}`;
}

/**
 * One statement, one commit: the pick is an InitPlan, so the TID scan visits the picked rows
 * in ctid order (two sweepers lock in the same order and cannot deadlock). The probe is a
 * second statement, run only when the batch came back short or spent the limit, and as it
 * runs after the commit it sees this batch's rows gone.
 */
async function sweepByCtid(
  db: Db,
  query: SweepQuery,
  { size, last }: MikaBatchRequest,
): Promise<MikaBatchOutcome> {
  const { table, where, orderBy } = query;
  let count = 0;
  if (size > 0) {
    const result = await sql`
      ${act(query)}
      where ctid = any(array(
        select ctid from ${table} where ${where} order by ${orderBy} limit ${size}
      ))
    `.execute(db);
    count = Number(result.numAffectedRows ?? 0n);
  }
  if (count === size && !last) return { count, more: true };
  const { rows } = await sql<{ more: boolean }>`
    select ${rowsLeft({ table, where, orderBy })} as more
  `.execute(db);
  return { count, more: rows[0]?.more ?? false };
}

/**
 * One statement: picks with `for update skip locked`, acts, counts, and (only after a short
 * batch or at the limit) asks whether due rows remain beyond the ones it took, which this
 * statement's snapshot still shows as due.
 */
async function sweepSkipLocked(
  db: Db,
  query: SweepQuery,
  { size, last }: MikaBatchRequest,
): Promise<MikaBatchOutcome> {
  const { table, where, orderBy } = query;
  const { rows } = await sql<{ n: string | number; more: boolean }>`
    with swept as (
      ${act(query)}
      where id = any(array(
        select id from ${table}
        where ${where}
        order by ${orderBy}
        limit ${size}
        for update skip locked
      ))
      returning id
    ), taken as (select count(*) as n from swept)
    select taken.n, case when taken.n = ${size} and not ${last} then true else ${rowsLeft({
      table,
      where,
      orderBy,
      excluding: sql`id not in (select id from swept)`,
    })} end as more
    from taken
  `.execute(db);
  const row = rows[0];
  return { count: toNumber(row?.n ?? 0), more: row?.more ?? false };
}
