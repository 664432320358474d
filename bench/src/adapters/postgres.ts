import pg from "pg";
import { packageVersion } from "../package-version.ts";
import { openTargetAdapter } from "./open-target.ts";
import type { BenchStore, Cell, RawBaselines, StoreTarget } from "./store.ts";

const CONNECTION_STRING =
  process.env.MIKA_BENCH_POSTGRES_URL ??
  process.env.MIKA_TEST_POSTGRES_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const TABLE_PREFIX = "mika_";
let opened = 0;

/** A fresh schema, migrated by the adapter, with a raw `pg` client for loading and baselines. */
export async function openPostgresStore(): Promise<BenchStore> {
  opened += 1;
  const schema = `mika_bench_${process.pid}_${opened}`;
  const client = new pg.Client({ connectionString: CONNECTION_STRING });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.query(`CREATE SCHEMA "${schema}"`);
  const target: StoreTarget = {
    adapter: "postgres",
    connectionString: CONNECTION_STRING,
    schema,
    tablePrefix: TABLE_PREFIX,
  };
  const adapter = await openTargetAdapter(target);
  await adapter.migrate();

  const table = (name: string) => `"${schema}"."${TABLE_PREFIX}${name}"`;
  const expand = (sqlText: string) =>
    sqlText.replace(/\{(\w+)\}/g, (_, name: string) => table(name));
  const run = async (sqlText: string, params: unknown[] = []) =>
    client.query(expand(sqlText), params);

  // The best bounded purge: a server-side loop, one round trip, each batch its own
  // transaction (a procedure may COMMIT), rows picked by ctid without a row lock.
  const sweepProcedure = async (name: string, act: string) => {
    await client.query(`
      CREATE OR REPLACE PROCEDURE "${schema}".${name}(
        now_at timestamptz, cutoff_at timestamptz, batch int,
        INOUT total bigint DEFAULT 0, INOUT batches int DEFAULT 0, INOUT longest_ms float8 DEFAULT 0)
      LANGUAGE plpgsql AS $body$
      DECLARE n bigint; started timestamptz;
      BEGIN
        LOOP
          started := clock_timestamp();
          ${expand(act)};
          GET DIAGNOSTICS n = ROW_COUNT;
          COMMIT;
          total := total + n;
          batches := batches + 1;
          longest_ms := greatest(longest_ms, extract(epoch FROM clock_timestamp() - started) * 1000);
          EXIT WHEN n < batch;
        END LOOP;
      END $body$`);
  };
  const EPHEMERAL_PICK = `SELECT ctid FROM {ephemeral_records} WHERE expires_at <= now_at
    ORDER BY expires_at, kind, key`;
  const PAYLOAD_DUE = `raw_payload IS NOT NULL
    AND (processed_at IS NOT NULL OR normalized_payload IS NOT NULL) AND received_at <= cutoff_at`;
  await sweepProcedure(
    "bench_purge_ephemeral",
    `DELETE FROM {ephemeral_records} WHERE ctid = ANY(ARRAY(${EPHEMERAL_PICK} LIMIT batch))`,
  );
  await sweepProcedure(
    "bench_purge_payloads",
    `UPDATE {webhook_events} SET raw_payload = NULL, raw_payload_purged_at = now_at
     WHERE ctid = ANY(ARRAY(SELECT ctid FROM {webhook_events} WHERE ${PAYLOAD_DUE}
       ORDER BY received_at, id LIMIT batch))`,
  );
  const callSweep = async (name: string, now: string, cutoff: string, batch: number) => {
    const { rows } = await client.query(`CALL "${schema}".${name}($1, $2, $3)`, [
      now,
      cutoff,
      batch,
    ]);
    const row = rows[0] as { total: string; batches: number; longest_ms: number };
    return {
      rows: Number(row.total),
      commits: row.batches,
      roundTrips: 1,
      longestMs: row.longest_ms,
    };
  };
  const oneStatement = async (sqlText: string, params: unknown[]) => {
    const started = performance.now();
    const result = await run(sqlText, params);
    const longestMs = performance.now() - started;
    return { rows: result.rowCount ?? 0, commits: 1, roundTrips: 1, longestMs };
  };

  const raw: RawBaselines = {
    purgeEphemeral: (now) => ({
      bounded: (batch) => callSweep("bench_purge_ephemeral", now, now, batch),
      unbounded: () =>
        oneStatement("DELETE FROM {ephemeral_records} WHERE expires_at <= $1", [now]),
    }),
    purgeWebhookPayloads: (now, cutoff) => ({
      bounded: (batch) => callSweep("bench_purge_payloads", now, cutoff, batch),
      unbounded: () =>
        oneStatement(
          `UPDATE {webhook_events} SET raw_payload = NULL, raw_payload_purged_at = $1
           WHERE ${PAYLOAD_DUE.replace("cutoff_at", "$2")}`,
          [now, cutoff],
        ),
    }),
    async releaseExpiredReservationBatch(now, limit) {
      // One statement is one transaction: pick, expire, give the quantity back.
      const result = await run(
        `WITH picked AS (
           SELECT id FROM {stock_reservations}
           WHERE status = 'active' AND expires_at <= $1
           ORDER BY expires_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
         ), released AS (
           UPDATE {stock_reservations} r
           SET status = 'expired', idempotency_key = NULL, ended_at = $1, updated_at = $1
           FROM picked WHERE r.id = picked.id
           RETURNING r.stock_item_id, r.quantity
         ), per_item AS (
           SELECT stock_item_id, sum(quantity) AS quantity FROM released GROUP BY stock_item_id
         ), items AS (
           UPDATE {stock_items} s
           SET quantity_reserved = greatest(0, s.quantity_reserved - per_item.quantity), updated_at = $1
           FROM per_item WHERE s.id = per_item.stock_item_id
             AND s.id = ANY(ARRAY(SELECT id FROM {stock_items}
               WHERE id = ANY(ARRAY(SELECT stock_item_id FROM per_item)) ORDER BY id FOR UPDATE))
         )
         SELECT count(*)::int AS released FROM released`,
        [now, limit],
      );
      return Number(result.rows[0]?.released ?? 0);
    },
  };

  return {
    name: "postgres",
    adapter,
    target,
    raw,
    openAdapter: () => openTargetAdapter(target),
    async insertSeries({ table: name, count, columns }) {
      if (count <= 0) return;
      const names = Object.keys(columns);
      const values = names.map((column) => render(columns[column]!));
      const insert = () =>
        client.query(
          `INSERT INTO ${table(name)} (${names.map((column) => `"${column}"`).join(", ")})
           SELECT ${values.join(", ")} FROM generate_series(0, ${count - 1}) AS g(i)`,
        );
      if (count < BULK_ROWS) await insert();
      else await withIndexesRebuilt(client, schema, `${TABLE_PREFIX}${name}`, insert);
    },
    async query(sqlText) {
      return (await run(sqlText)).rows;
    },
    async count(name, where) {
      const result = await run(
        `SELECT count(*)::int AS n FROM {${name}}${where ? ` WHERE ${where}` : ""}`,
      );
      return Number(result.rows[0]?.n ?? 0);
    },
    async clear(tables) {
      await run(`TRUNCATE ${tables.map((name) => `{${name}}`).join(", ")}`);
    },
    async maintain(tables) {
      const names = tables
        ? tables.map((name) => `${TABLE_PREFIX}${name}`)
        : (
            await client.query<{ tablename: string }>(
              "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename",
              [schema],
            )
          ).rows.map((row) => row.tablename);
      for (const name of names) await client.query(`VACUUM (ANALYZE) "${schema}"."${name}"`);
    },
    async version() {
      const result = await client.query("SHOW server_version");
      return `PostgreSQL ${result.rows[0]?.server_version}; pg ${await packageVersion("pg")}, kysely ${await packageVersion("kysely")}`;
    },
    async close() {
      try {
        await adapter.close();
      } finally {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}

/** From this many rows on, a load drops the table's indexes and builds them again afterwards. */
const BULK_ROWS = 100_000;

/**
 * Runs `load` with the table's indexes and key constraints dropped, then recreates them from
 * their own definitions, exactly as the adapter's migration made them. Building an index once
 * over sorted input is several times faster than maintaining it row by row.
 */
async function withIndexesRebuilt(
  client: pg.Client,
  schema: string,
  tableName: string,
  load: () => Promise<unknown>,
): Promise<void> {
  const qualified = `"${schema}"."${tableName}"`;
  const constraints = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype IN ('p', 'u')`,
    [qualified],
  );
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = $1 AND tablename = $2
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $3::regclass)`,
    [schema, tableName, qualified],
  );
  for (const { name } of constraints.rows) {
    await client.query(`ALTER TABLE ${qualified} DROP CONSTRAINT "${name}"`);
  }
  for (const { name } of indexes.rows) await client.query(`DROP INDEX "${schema}"."${name}"`);
  await load();
  await client.query("SET maintenance_work_mem = '256MB'");
  for (const { name, definition } of constraints.rows) {
    await client.query(`ALTER TABLE ${qualified} ADD CONSTRAINT "${name}" ${definition}`);
  }
  for (const { definition } of indexes.rows) await client.query(definition);
}

/** A cell as a Postgres expression over `i`. */
function render(cell: Cell): string {
  if (cell === null) return "NULL";
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "string") return quote(cell);
  if ("sql" in cell) return `(${cell.sql})`;
  if ("json" in cell) return `${quote(JSON.stringify(cell.json))}::jsonb`;
  if ("when" in cell) {
    return `CASE WHEN ${cell.when} THEN ${render(cell.value)} ELSE ${render(cell.otherwise)} END`;
  }
  const base = `${quote(cell.at)}::timestamptz`;
  // Float arithmetic: 1M rows times a step in milliseconds overflows a 32-bit integer.
  return cell.stepMs
    ? `(${base} + (i * (${cell.stepMs})::float8) * interval '1 millisecond')`
    : base;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
