import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresRepositories, MIKA_POSTGRES_TABLES } from "../src/index.ts";
import { openTestDatabase } from "./support/test-database.ts";

const database = await openTestDatabase("migrations");
afterAll(() => database.dispose());

const T0 = "2026-06-21T10:00:00.000Z";

async function relationNames(kind: "r" | "i") {
  const { rows } = await sql<{ relname: string }>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${database.schema} and c.relkind = ${kind}
    order by c.relname
  `.execute(database.admin);
  return rows.map((row) => row.relname);
}

describe("migrations", () => {
  it("two adapters migrating at once apply the schema once, and both report it applied", async () => {
    const first = database.createAdapter();
    const second = database.createAdapter();
    expect(await first.migrationStatus()).toEqual({
      applied: [],
      pending: ["0001_initial_schema", "0004_lane_pauses_and_run_history"],
    });

    const [a, b] = await Promise.all([first.migrate(), second.migrate()]);
    expect(a).toEqual(b);
    expect(a.pending).toEqual([]);
    expect(a.applied.map((m) => m.name)).toEqual([
      "0001_initial_schema",
      "0004_lane_pauses_and_run_history",
    ]);
    expect(Number.isFinite(Date.parse(a.applied[0]!.appliedAt))).toBe(true);

    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${database.schema}.mika_migrations`)}
    `.execute(database.admin);
    expect(rows[0]!.n).toBe(2);
    // Migrating again is a no-op that reports the same status.
    expect(await first.migrate()).toEqual(a);
    await Promise.all([first.close(), second.close()]);
  });

  it("creates every table with the prefix, and every index name carries it too", async () => {
    const tables = await relationNames("r");
    for (const table of MIKA_POSTGRES_TABLES) expect(tables).toContain(`mika_${table}`);
    const indexes = await relationNames("i");
    expect(indexes.length).toBeGreaterThan(20);
    for (const index of indexes) expect(index.startsWith("mika_")).toBe(true);
    for (const name of [...tables, ...indexes]) expect(name.length).toBeLessThanOrEqual(63);
  });

  it("a second prefix in the same schema gets its own tables, indexes and migration record", async () => {
    const shop = database.createAdapter({ tablePrefix: "shop_" });
    const status = await shop.migrate();
    expect(status.pending).toEqual([]);
    await shop.ephemeral.putEphemeralRecord({
      kind: "nonce",
      key: "n1",
      expiresAt: "2026-06-22T10:00:00.000Z",
      now: T0,
    });
    const dump = await database.dumpTables("shop_");
    expect(dump.ephemeral_records).toHaveLength(1);
    expect((await database.dumpTables()).ephemeral_records).toHaveLength(0);
    const indexes = await relationNames("i");
    expect(indexes.filter((name) => name.startsWith("shop_")).length).toBe(
      indexes.filter((name) => name.startsWith("mika_")).length,
    );
    await shop.close();
  });

  it("creates a missing schema", async () => {
    if (database.kind !== "server") return;
    const schema = `${database.schema}_extra`;
    const adapter = createPostgresRepositories({ connectionString: database.url, schema });
    try {
      await adapter.migrate();
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.tables where table_schema = ${schema}
      `.execute(database.admin);
      expect(rows[0]!.n).toBe(MIKA_POSTGRES_TABLES.length + 1 /* + the migrations record */);
    } finally {
      await adapter.close();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.admin);
    }
  });
});

describe("close()", () => {
  it("leaves a host's Kysely instance open", async () => {
    const adapter = createPostgresRepositories({ db: database.admin, schema: database.schema });
    await adapter.close();
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.admin);
    expect(rows[0]!.one).toBe(1);
  });

  it("leaves a host's pg pool open, but ends the pool it opened itself", async () => {
    if (database.kind !== "server") return;
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const borrowed = createPostgresRepositories({ pool, schema: database.schema });
    await borrowed.ephemeral.getEphemeralRecord({ kind: "nonce", key: "x", now: T0 });
    await borrowed.close();
    expect((await pool.query("select 1 as one")).rows[0].one).toBe(1);
    await pool.end();

    const owned = database.createAdapter();
    await owned.ephemeral.getEphemeralRecord({ kind: "nonce", key: "x", now: T0 });
    await owned.close();
    await owned.close();
    await expect(
      owned.ephemeral.getEphemeralRecord({ kind: "nonce", key: "x", now: T0 }),
    ).rejects.toThrow(/destroyed/);
  });
});
