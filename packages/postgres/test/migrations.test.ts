import {
  expectErasureSubjectsUpgrade,
  expectWorkflowRetriesUpgrade,
} from "@mika-maintenance/adapter-tests";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { QualifyTablesPlugin } from "../src/database/qualify-tables-plugin.ts";
import {
  createPostgresRepositories,
  MIKA_POSTGRES_TABLES,
  mikaPostgresMigrations,
} from "../src/index.ts";
import { openTestDatabase } from "./support/test-database.ts";

const database = await openTestDatabase("migrations");
afterAll(() => database.dispose());

const T0 = "2026-06-21T10:00:00.000Z";
const MIGRATION_NAMES = [
  "0001_initial_schema",
  "0002_erasure_subjects",
  "0004_lane_pauses_and_run_history",
  "0006_workflow_retries",
  "0007_lane_run_hours_and_blocked_deletes",
];

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
      pending: MIGRATION_NAMES,
    });

    const [a, b] = await Promise.all([first.migrate(), second.migrate()]);
    expect(a).toEqual(b);
    expect(a.pending).toEqual([]);
    expect(a.applied.map((m) => m.name)).toEqual(MIGRATION_NAMES);
    expect(Number.isFinite(Date.parse(a.applied[0]!.appliedAt))).toBe(true);

    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${database.schema}.mika_migrations`)}
    `.execute(database.admin);
    expect(rows[0]!.n).toBe(MIGRATION_NAMES.length);
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

describe("0002_erasure_subjects on a database that already holds rows", () => {
  it("adds the subject columns, keeps every existing row, and erasure then finds new rows", async () => {
    const prefix = "old_";
    const adapter = database.createAdapter({ tablePrefix: prefix });
    await adapter.migrate();
    // Turn the tables back into what 0001 made, as a database from before 0002 has them.
    for (const table of ["workflows", "webhook_events", "acp_sessions"]) {
      const redacted = table === "acp_sessions" ? sql`` : sql`, drop column redacted_at`;
      await sql`alter table ${database.table(table, prefix)} drop column customer_id, drop column user_id, drop column email_hash${redacted}`.execute(
        database.admin,
      );
    }
    await sql`delete from ${sql.table(`${database.schema}.${prefix}migrations`)} where name = '0002_erasure_subjects'`.execute(
      database.admin,
    );
    await sql`insert into ${database.table("workflows", prefix)} (id, name, status, input, max_attempts, created_at, updated_at)
      values ('wf-old', 'order.fulfil', 'queued', '{"email":"old@mail.example"}', 3, ${T0}, ${T0})`.execute(
      database.admin,
    );
    await sql`insert into ${database.table("webhook_events", prefix)} (id, provider, event_type, external_id, received_at, raw_payload)
      values ('wh-old', 'stripe', 'invoice.paid', 'evt-old', ${T0}, '{}')`.execute(database.admin);
    await sql`insert into ${database.table("acp_sessions", prefix)} (id, status, payload, version, expires_at, created_at, updated_at)
      values ('acp-old', 'in_progress', '{}', 1, ${T0}, ${T0}, ${T0})`.execute(database.admin);
    expect((await adapter.migrationStatus()).pending).toEqual(["0002_erasure_subjects"]);

    const status = await adapter.migrate();
    expect(status.pending).toEqual([]);
    await expectErasureSubjectsUpgrade(adapter, T0);
    await adapter.close();
  });
});

describe("0006_workflow_retries on a database the previous release created, with rows", () => {
  it("adds subject and next-attempt columns, keeps every row, and never retries an old row", async () => {
    const prefix = "prev_";
    const location = { schema: database.schema, tablePrefix: prefix };
    // The previous release: every shipped migration before 0006, applied and recorded as it did.
    const previous = Object.entries(mikaPostgresMigrations(location))
      .filter(([name]) => name < "0006")
      .sort(([a], [b]) => a.localeCompare(b));
    const db = database.admin.withPlugin(new QualifyTablesPlugin(location));
    await sql`create table ${sql.table(`${database.schema}.${prefix}migrations`)} (name text primary key, applied_at timestamptz not null default now())`.execute(
      database.admin,
    );
    for (const [name, migration] of previous) {
      await migration.up(db);
      await sql`insert into ${sql.table(`${database.schema}.${prefix}migrations`)} (name) values (${name})`.execute(
        database.admin,
      );
    }
    await sql`insert into ${database.table("workflows", prefix)} (id, name, status, input, attempt_count, max_attempts, lease_key, leased_at, lease_expires_at, created_at, updated_at)
      values ('wf-queued', 'payment_webhook_fulfillment', 'queued', '{"a":1}', 0, 3, null, null, null, ${T0}, ${T0}),
             ('wf-running', 'payment_webhook_fulfillment', 'running', '{}', 1, 3, 'k1', ${T0}, ${T0}, ${T0}, ${T0})`.execute(
      database.admin,
    );
    const adapter = database.createAdapter({ tablePrefix: prefix });
    // 0006 and every migration shipped after it.
    expect((await adapter.migrationStatus()).pending).toEqual(
      Object.keys(mikaPostgresMigrations(location))
        .filter((name) => name >= "0006")
        .sort(),
    );

    expect((await adapter.migrate()).pending).toEqual([]);
    await expectWorkflowRetriesUpgrade(adapter, {
      name: "payment_webhook_fulfillment",
      now: T0,
      later: "2026-06-22T10:00:00.000Z",
    });
    await adapter.close();
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
