import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { packageVersion } from "../package-version.ts";
import { openTargetAdapter } from "./open-target.ts";
import { renderSqliteCell } from "./sqlite-cells.ts";
import { sqlitePurgeBaselines } from "./sqlite-purge-baselines.ts";
import type { BenchStore, RawBaselines, StoreTarget } from "./store.ts";

const TABLE_PREFIX = "mika_";
let opened = 0;

/** A fresh libSQL file in the temp directory, migrated by the adapter, plus a raw client. */
export async function openLibsqlStore(): Promise<BenchStore> {
  opened += 1;
  const file = path.join(os.tmpdir(), `mika-bench-${process.pid}-${opened}.db`);
  await removeDatabase(file);
  const url = `file:${file}`;
  const target: StoreTarget = { adapter: "libsql", url, tablePrefix: TABLE_PREFIX };
  const adapter = await openTargetAdapter(target);
  await adapter.migrate();
  const client = createClient({ url });
  // A big page cache for this loading connection only; the adapter's connections keep theirs.
  await client.execute("PRAGMA cache_size = -262144");

  const table = (name: string) => `"${TABLE_PREFIX}${name}"`;
  const expand = (sqlText: string) =>
    sqlText.replace(/\{(\w+)\}/g, (_, name: string) => table(name));
  const run = (sqlText: string, args: (string | number)[] = []) =>
    client.execute({ sql: expand(sqlText), args });
  const ms = (iso: string) => Date.parse(iso);

  // SQLite has no server-side loop: the best bounded form is a client loop of single
  // statements (each its own transaction), picking by rowid, which the partial indexes hold.
  const boundedLoop = async (act: string, args: (string | number)[], batch: number) => {
    const sweep = { rows: 0, commits: 0, roundTrips: 0, longestMs: 0 };
    for (;;) {
      const started = performance.now();
      const { rowsAffected } = await run(act, [...args, batch]);
      sweep.longestMs = Math.max(sweep.longestMs, performance.now() - started);
      sweep.rows += rowsAffected;
      sweep.commits += 1;
      sweep.roundTrips += 1;
      if (rowsAffected < batch) return sweep;
    }
  };
  const oneStatement = async (act: string, args: (string | number)[]) => {
    const started = performance.now();
    const { rowsAffected } = await run(act, args);
    return {
      rows: rowsAffected,
      commits: 1,
      roundTrips: 1,
      longestMs: performance.now() - started,
    };
  };
  const raw: RawBaselines = {
    ...sqlitePurgeBaselines(boundedLoop, oneStatement),
    async releaseExpiredReservationBatch(now, limit) {
      // Both statements pick the same rows: the write transaction holds the only write lock.
      const picked = `SELECT id FROM {stock_reservations}
        WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?`;
      const [, released] = await client.batch(
        [
          {
            sql: expand(`UPDATE {stock_items}
              SET quantity_reserved = max(0, quantity_reserved - per_item.quantity), updated_at = ?
              FROM (SELECT stock_item_id, sum(quantity) AS quantity FROM {stock_reservations}
                    WHERE id IN (${picked}) GROUP BY stock_item_id) AS per_item
              WHERE {stock_items}.id = per_item.stock_item_id`),
            args: [ms(now), ms(now), limit],
          },
          {
            sql: expand(`UPDATE {stock_reservations}
              SET status = 'expired', idempotency_key = NULL, ended_at = ?, updated_at = ?
              WHERE id IN (${picked})`),
            args: [ms(now), ms(now), ms(now), limit],
          },
        ],
        "write",
      );
      return released?.rowsAffected ?? 0;
    },
  };

  return {
    name: "libsql",
    adapter,
    target,
    raw,
    openAdapter: () => openTargetAdapter(target),
    async insertSeries({ table: name, count, columns }) {
      if (count <= 0) return;
      const names = Object.keys(columns);
      const values = names.map((column) => renderSqliteCell(columns[column]!));
      const insert = () =>
        client.execute(
          `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count - 1})
           INSERT INTO ${table(name)} (${names.map((column) => `"${column}"`).join(", ")})
           SELECT ${values.join(", ")} FROM seq`,
        );
      if (count < BULK_ROWS) {
        await insert();
        return;
      }
      // Secondary indexes are built once after the load, from the adapter's own definitions.
      const indexes = await client.execute({
        sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        args: [`${TABLE_PREFIX}${name}`],
      });
      for (const row of indexes.rows) await client.execute(`DROP INDEX "${String(row.name)}"`);
      await insert();
      for (const row of indexes.rows) await client.execute(String(row.sql));
    },
    async query(sqlText) {
      const result = await run(sqlText);
      return result.rows.map((row) => ({ ...row }));
    },
    async count(name, where) {
      const result = await run(
        `SELECT count(*) AS n FROM {${name}}${where ? ` WHERE ${where}` : ""}`,
      );
      return Number(result.rows[0]?.n ?? 0);
    },
    async clear(tables) {
      for (const name of tables) await run(`DELETE FROM {${name}}`);
    },
    async maintain(tables) {
      if (tables) for (const name of tables) await client.execute(`ANALYZE ${table(name)}`);
      else await client.execute("ANALYZE");
      await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    },
    async version() {
      const result = await client.execute("SELECT sqlite_version() AS version");
      return `SQLite ${result.rows[0]?.version} (libSQL file, WAL); @libsql/client ${await packageVersion("@libsql/client")}, drizzle-orm ${await packageVersion("drizzle-orm")}`;
    },
    async close() {
      try {
        await adapter.close();
      } finally {
        client.close();
        await removeDatabase(file);
      }
    },
  };
}

/** From this many rows on, a load drops the table's secondary indexes and builds them afterwards. */
const BULK_ROWS = 100_000;

async function removeDatabase(file: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm", "-journal"])
    await rm(`${file}${suffix}`, { force: true });
}
