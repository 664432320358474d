import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, type LogEvent, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import {
  createPostgresRepositories,
  MIKA_POSTGRES_TABLES,
  type MikaPostgresAdapter,
  physicalTableName,
} from "../../src/index.ts";

/** The server the tests use unless told otherwise. */
export const DEFAULT_TEST_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Every row of every adapter table, under its logical name, in primary-key order. */
export type TableDump = Record<string, Record<string, unknown>[]>;

/** One test file's database: a real server when reachable, else PGlite; one fresh schema. */
export interface TestDatabase {
  kind: "server" | "pglite";
  /** The server URL (server only). */
  url: string;
  /** This file's schema, random, dropped by `dispose()`. */
  schema: string;
  /** Raw access for setup, EXPLAIN and the backdoor dump. */
  // biome-ignore lint/suspicious/noExplicitAny: raw test access to every table.
  admin: Kysely<any>;
  /** A new adapter on this schema: its own pool on a server, the shared instance on PGlite. */
  createAdapter(options?: { tablePrefix?: string; batchSize?: number }): MikaPostgresAdapter;
  /**
   * An adapter whose every executed query is reported to `log` (for EXPLAIN). Close it with
   * the returned `close`, which never closes the shared PGlite instance.
   */
  createLoggedAdapter(log: (event: LogEvent) => void): {
    adapter: MikaPostgresAdapter;
    close(): Promise<void>;
  };
  /** Qualified name of one adapter table, for raw SQL. */
  table(name: string, tablePrefix?: string): ReturnType<typeof sql.table>;
  dumpTables(tablePrefix?: string): Promise<TableDump>;
  /** Empties every adapter table (between conformance tests). */
  truncateAll(tablePrefix?: string): Promise<void>;
  dispose(): Promise<void>;
}

const PRIMARY_KEYS: Record<string, string[]> = {
  ephemeral_records: ["kind", "key"],
  leadership_leases: ["name"],
  runtime_heartbeats: ["instance_id"],
  lane_states: ["lane"],
  lane_pauses: ["lane"],
};

async function serverReachable(url: string): Promise<Error | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Opens the test database for one test file. In CI an unreachable server is a failure, never
 * a skip; on a laptop without a server the tests fall back to PGlite and say so.
 */
export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const url = process.env.MIKA_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
  const schema = `mika_test_${label}_${randomBytes(4).toString("hex")}`;
  const unreachable = await serverReachable(url);
  if (unreachable && process.env.CI) {
    throw new Error(
      `The Postgres tests need a real server in CI, but ${url} (MIKA_TEST_POSTGRES_URL) is unreachable: ${unreachable.message}`,
      { cause: unreachable },
    );
  }

  let kind: TestDatabase["kind"];
  // biome-ignore lint/suspicious/noExplicitAny: raw test access to every table.
  let admin: Kysely<any>;
  let createAdapter: TestDatabase["createAdapter"];
  let createLoggedAdapter: TestDatabase["createLoggedAdapter"];
  if (unreachable) {
    console.warn(
      `[postgres tests] No Postgres server at ${url} (${unreachable.message}); running against PGlite (Postgres compiled to WebAssembly) instead. Set MIKA_TEST_POSTGRES_URL to use a real server.`,
    );
    kind = "pglite";
    const pglite = new PGlite();
    admin = new Kysely({ dialect: new PGliteDialect({ pglite }) });
    createAdapter = (options) => createPostgresRepositories({ db: admin, schema, ...options });
    createLoggedAdapter = (log) => {
      const db = new Kysely({ dialect: new PGliteDialect({ pglite }), log });
      // Not destroyed: that would close the PGlite instance the whole file shares.
      return { adapter: createPostgresRepositories({ db, schema }), close: async () => {} };
    };
  } else {
    kind = "server";
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on("error", () => {});
    admin = new Kysely({ dialect: new PostgresDialect({ pool }) });
    createAdapter = (options) =>
      createPostgresRepositories({ connectionString: url, schema, ...options });
    createLoggedAdapter = (log) => {
      const db = new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
        log,
      });
      return { adapter: createPostgresRepositories({ db, schema }), close: () => db.destroy() };
    };
  }

  const table = (name: string, tablePrefix = "mika_") =>
    sql.table(`${schema}.${physicalTableName({ schema, tablePrefix }, name)}`);

  return {
    kind,
    url,
    schema,
    admin,
    createAdapter,
    createLoggedAdapter,
    table,
    async dumpTables(tablePrefix = "mika_") {
      // Walks the schema itself (information_schema), not a list in code, so a table or column
      // added by a later migration is dumped, and scanned, without editing any test.
      const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns
        where table_schema = ${schema} and starts_with(table_name::text, ${tablePrefix})
        order by table_name, ordinal_position
      `.execute(admin);
      const byTable = new Map<string, string[]>();
      for (const { table_name, column_name } of columns) {
        byTable.set(table_name, [...(byTable.get(table_name) ?? []), column_name]);
      }
      const dump: TableDump = {};
      for (const [physical, names] of byTable) {
        const name = physical.slice(tablePrefix.length);
        const keys = PRIMARY_KEYS[name] ?? (names.includes("id") ? ["id"] : names);
        const { rows } = await sql<Record<string, unknown>>`
          select ${sql.join(names.map((column) => sql.ref(column)))}
          from ${sql.table(`${schema}.${physical}`)}
          order by ${sql.join(keys.map((column) => sql.ref(column)))}
        `.execute(admin);
        dump[name] = rows;
      }
      return dump;
    },
    async truncateAll(tablePrefix) {
      // DELETE beats TRUNCATE on tables this small: no new files, no exclusive locks.
      await admin.transaction().execute(async (trx) => {
        for (const name of MIKA_POSTGRES_TABLES) {
          await sql`delete from ${table(name, tablePrefix)}`.execute(trx);
        }
      });
    },
    async dispose() {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
      await admin.destroy();
    },
  };
}

/**
 * The test database of one test file, migrated before its tests (the hook given `timeoutMs`)
 * and dropped after them.
 */
export async function openMigratedTestDatabase(
  label: string,
  timeoutMs = 120_000,
): Promise<TestDatabase> {
  const database = await openTestDatabase(label);
  beforeAll(async () => {
    const adapter = database.createAdapter();
    await adapter.migrate();
    await adapter.close();
  }, timeoutMs);
  afterAll(() => database.dispose());
  return database;
}
