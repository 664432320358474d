import {
  createAdaptiveBatchSize,
  MIKA_SWEEP_BATCH_SIZING,
  type MikaBatchSize,
  sweepInBatches,
} from "@mika-maintenance/core";
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { MikaSqliteDatabase } from "../database.ts";
import { anyRow, changes } from "./sql-helpers.ts";

/**
 * What differs between sweeps: which rows are due, in which order, and what happens to them.
 * Everything else (pick, act, count, rows left, the batch loop) is written once below.
 */
export interface LibsqlSweepQuery {
  table: SQLiteTable;
  /** The due rows, written exactly as their partial index is. */
  where: SQL;
  /** The index order; the oldest due rows go first. */
  orderBy: (SQLiteColumn | SQL)[];
  /** The assignments of an update (drizzle `set` values); without them rows are deleted. */
  set?: Record<string, unknown>;
}

/** A batch size for one sweep: adaptive, one per sweep so each table finds its own. */
export function newSweepBatchSize(): MikaBatchSize {
  return createAdaptiveBatchSize(MIKA_SWEEP_BATCH_SIZING);
}

/**
 * Works through up to `limit` due rows in adaptive batches. Each batch is ONE statement (its
 * own commit): it picks by rowid, which the partial indexes hold, so no primary-key lookup
 * per row, and no row comes back. SQLite runs one writer at a time, so a statement that came
 * back short took every row due while it ran: only a full batch that spends the limit asks,
 * in a second statement, whether rows are left.
 */
export function sweep(
  database: MikaSqliteDatabase,
  query: LibsqlSweepQuery,
  limit: number,
  batchSize: MikaBatchSize,
): Promise<{ count: number; hasMore: boolean }> {
  const { table, where, orderBy, set } = query;
  return sweepInBatches(limit, batchSize, async ({ size, last }) => {
    const count =
      size === 0
        ? 0
        : await database.run(async (db) => {
            const picked = sql`rowid in (${db
              .select({ rowid: sql`rowid` })
              .from(table)
              .where(where)
              .orderBy(...orderBy)
              .limit(size)})`;
            const result = set
              ? await db
                  .update(table)
                  .set(set as never)
                  .where(picked)
              : await db.delete(table).where(picked);
            return changes(result);
          });
    if (count < size) return { count, more: false };
    if (!last) return { count, more: true };
    return { count, more: await database.run((db) => anyRow(db, table, where)) };
  });
}
