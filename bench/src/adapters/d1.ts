import type { MikaD1Binding } from "@mika-maintenance/d1";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { packageVersion } from "../package-version.ts";
import { openTargetAdapter } from "./open-target.ts";
import { renderSqliteCell } from "./sqlite-cells.ts";
import { sqlitePurgeBaselines } from "./sqlite-purge-baselines.ts";
import type { BenchStore, RawBaselines, RawSweep, StoreTarget } from "./store.ts";

const TABLE_PREFIX = "mika_";
const COMPATIBILITY_DATE = "2026-10-01";
/** Rows per generated INSERT: D1 caps one statement's run time (30 s on Cloudflare). */
const ROWS_PER_INSERT = 100_000;
/** From this many rows on, a load drops the table's secondary indexes and builds them afterwards. */
const BULK_ROWS = 100_000;

/** The part of D1's statement API the loads and baselines use. */
interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
  run(): Promise<{ meta: { changes: number } }>;
}

/**
 * A local D1 database in its own workerd (miniflare's Node API, not persisted), migrated by the
 * adapter, with the raw binding for loads and baselines: every statement goes through the
 * binding, as a Worker's would.
 */
export async function openD1Store(): Promise<BenchStore> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch: () => new Response('mika-maintenance bench') }",
      compatibilityDate: COMPATIBILITY_DATE,
      d1Databases: { MIKA_DB: "mika-maintenance-bench" },
    }),
  );
  let adapter: Awaited<ReturnType<typeof openTargetAdapter>> | undefined;
  try {
    const binding = (await mf.getD1Database("MIKA_DB")) as unknown as MikaD1Binding;
    const target: StoreTarget = { adapter: "d1", binding, tablePrefix: TABLE_PREFIX };
    adapter = await openTargetAdapter(target);
    await adapter.migrate();
    return d1Store(mf, binding, target, adapter);
  } catch (error) {
    await adapter?.close();
    await mf.dispose();
    throw error;
  }
}

function d1Store(
  mf: Miniflare,
  binding: MikaD1Binding,
  target: StoreTarget,
  adapter: BenchStore["adapter"],
): BenchStore {
  const table = (name: string) => `"${TABLE_PREFIX}${name}"`;
  const expand = (sqlText: string) =>
    sqlText.replace(/\{(\w+)\}/g, (_, name: string) => table(name));
  const statement = (sqlText: string, args: readonly unknown[] = []) => {
    const prepared = binding.prepare(expand(sqlText)) as D1Statement;
    return args.length > 0 ? prepared.bind(...args) : prepared;
  };
  const run = async (sqlText: string, args: readonly unknown[] = []) =>
    (await statement(sqlText, args).run()).meta.changes;
  const all = async (sqlText: string, args: readonly unknown[] = []) =>
    (await statement(sqlText, args).all()).results;
  const ms = (iso: string) => Date.parse(iso);

  // D1 has no server-side loop and no interactive transaction: the best bounded form is the
  // libSQL one, a client loop of single statements (each its own request and transaction)
  // picking by rowid. A batch of several DELETEs would be one transaction, so no shorter.
  const boundedLoop = async (act: string, args: unknown[], batch: number): Promise<RawSweep> => {
    const sweep = { rows: 0, commits: 0, roundTrips: 0, longestMs: 0 };
    for (;;) {
      const started = performance.now();
      const changes = await run(act, [...args, batch]);
      sweep.longestMs = Math.max(sweep.longestMs, performance.now() - started);
      sweep.rows += changes;
      sweep.commits += 1;
      sweep.roundTrips += 1;
      if (changes < batch) return sweep;
    }
  };
  const oneStatement = async (act: string, args: unknown[]): Promise<RawSweep> => {
    const started = performance.now();
    const rows = await run(act, args);
    return { rows, commits: 1, roundTrips: 1, longestMs: performance.now() - started };
  };
  const raw: RawBaselines = {
    ...sqlitePurgeBaselines(boundedLoop, oneStatement),
    async releaseExpiredReservationBatch(now, limit) {
      // One D1 batch is one transaction: both statements pick the same rows.
      const picked = `SELECT id FROM {stock_reservations}
        WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?`;
      const [, released] = (await binding.batch([
        statement(
          `UPDATE {stock_items}
           SET quantity_reserved = max(0, quantity_reserved - per_item.quantity), updated_at = ?
           FROM (SELECT stock_item_id, sum(quantity) AS quantity FROM {stock_reservations}
                 WHERE id IN (${picked}) GROUP BY stock_item_id) AS per_item
           WHERE {stock_items}.id = per_item.stock_item_id`,
          [ms(now), ms(now), limit],
        ),
        statement(
          `UPDATE {stock_reservations}
           SET status = 'expired', idempotency_key = NULL, ended_at = ?, updated_at = ?
           WHERE id IN (${picked})`,
          [ms(now), ms(now), ms(now), limit],
        ),
      ])) as { meta: { changes: number } }[];
      return released?.meta.changes ?? 0;
    },
  };

  return {
    name: "d1",
    adapter,
    target,
    raw,
    openAdapter: () => openTargetAdapter(target),
    async insertSeries({ table: name, count, columns }) {
      if (count <= 0) return;
      const names = Object.keys(columns);
      const values = names.map((column) => renderSqliteCell(columns[column]!));
      // A few large INSERT … SELECT statements over a recursive CTE (D1 has no
      // generate_series), never a statement per row.
      const insert = async () => {
        for (let first = 0; first < count; first += ROWS_PER_INSERT) {
          const last = Math.min(count, first + ROWS_PER_INSERT) - 1;
          await run(
            `WITH RECURSIVE seq(i) AS (SELECT ${first} UNION ALL SELECT i + 1 FROM seq WHERE i < ${last})
             INSERT INTO ${table(name)} (${names.map((column) => `"${column}"`).join(", ")})
             SELECT ${values.join(", ")} FROM seq`,
          );
        }
      };
      if (count < BULK_ROWS) {
        await insert();
        return;
      }
      // Secondary indexes are built once after the load, from the adapter's own definitions.
      const indexes = await all(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        [`${TABLE_PREFIX}${name}`],
      );
      for (const row of indexes) await run(`DROP INDEX "${String(row.name)}"`);
      await insert();
      for (const row of indexes) await run(String(row.sql));
    },
    async query(sqlText) {
      return (await all(sqlText)).map((row) => ({ ...row }));
    },
    async count(name, where) {
      const [row] = await all(
        `SELECT count(*) AS n FROM {${name}}${where ? ` WHERE ${where}` : ""}`,
      );
      return Number(row?.n ?? 0);
    },
    async clear(tables) {
      for (const name of tables) await run(`DELETE FROM {${name}}`);
    },
    async maintain(tables) {
      // D1 allows ANALYZE; it has no checkpoint to run (workerd owns the file).
      if (tables) for (const name of tables) await run(`ANALYZE ${table(name)}`);
      else await run("ANALYZE");
    },
    async version() {
      // D1 refuses sqlite_version(); the workerd build comes with miniflare.
      return `local D1 in workerd (miniflare ${await packageVersion("miniflare")}, not persisted: a temporary directory removed on dispose, compatibility date ${COMPATIBILITY_DATE}); drizzle-orm ${await packageVersion("drizzle-orm")}`;
    },
    async close() {
      try {
        await adapter.close();
      } finally {
        await mf.dispose();
      }
    },
  };
}
