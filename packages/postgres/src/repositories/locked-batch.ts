import { type Kysely, type RawBuilder, sql } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";
import type { BatchOutcome } from "./batches.ts";
import { toNumber } from "./convert.ts";
import { rowsLeft } from "./rows-left.ts";

/** One batch of a locking sweep: which rows are due, in which order, and what happens to them. */
export interface LockedBatchQuery {
  table: RawBuilder<unknown>;
  /** The due rows, written exactly as their partial index is. */
  where: RawBuilder<boolean>;
  /** The index order; the oldest due rows go first. */
  orderBy: RawBuilder<unknown>;
  /** The assignments of an update; without them the picked rows are deleted. */
  set?: RawBuilder<unknown>;
}

/**
 * The sweep statement written once: picks up to `size` due rows with `for update skip locked`
 * (so concurrent sweepers share the rows, never wait on each other), updates or deletes them,
 * and answers in the same round trip whether due rows remain beyond them.
 */
export async function runLockedBatch(
  db: Kysely<MikaPostgresDatabase>,
  query: LockedBatchQuery,
  size: number,
): Promise<BatchOutcome> {
  const { table, where, orderBy, set } = query;
  const act = set ? sql`update ${table} set ${set}` : sql`delete from ${table}`;
  const { rows } = await sql<{ n: string | number; more: boolean }>`
    with swept as (
      ${act}
      where id = any(array(
        select id from ${table}
        where ${where}
        order by ${orderBy}
        limit ${size}
        for update skip locked
      ))
      returning id
    )
    select (select count(*) from swept) as n, ${rowsLeft({
      table,
      where,
      orderBy,
      excluding: sql`id not in (select id from swept)`,
    })} as more
  `.execute(db);
  const row = rows[0];
  return { count: toNumber(row?.n ?? 0), more: row?.more ?? false };
}
