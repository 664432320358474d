import type { MikaMigrationStatus } from "@mika-maintenance/core";
import { type Kysely, sql } from "kysely";
import { MikaPostgresMigrationError } from "../errors.ts";
import { type MikaTableLocation, migrationTableNames } from "../schema/table-names.ts";
import { mikaPostgresMigrations } from "./index.ts";

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on whatever the tables are now.
type AnyDb = Kysely<any>;

/*
 * A small migrator instead of kysely's `Migrator`: that one asks the introspector for every
 * table of every schema, and that catalog scan fails ("schema … does not exist") whenever
 * another schema is dropped at the same moment. Everything here looks only at our own table.
 */

/** One advisory lock key per schema and prefix, so unrelated installs never wait on each other. */
function lockKey(location: MikaTableLocation) {
  return sql`hashtext('mika-maintenance'), hashtext(${`${location.schema}.${location.tablePrefix}`})`;
}

function migrationsTable(location: MikaTableLocation) {
  return sql.id(location.schema, migrationTableNames(location).migrations);
}

async function migrationsTableExists(db: AnyDb, location: MikaTableLocation): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (
      select 1 from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${location.schema}
        and c.relname = ${migrationTableNames(location).migrations}
    ) as found`.execute(db);
  return rows[0]?.found === true;
}

async function readApplied(db: AnyDb, location: MikaTableLocation): Promise<Map<string, string>> {
  if (!(await migrationsTableExists(db, location))) return new Map();
  const { rows } = await sql<{ name: string; applied_at: Date }>`
    select name, applied_at from ${migrationsTable(location)} order by name`.execute(db);
  return new Map(rows.map((row) => [row.name, row.applied_at.toISOString()]));
}

function statusFrom(
  location: MikaTableLocation,
  applied: Map<string, string>,
): MikaMigrationStatus {
  const names = Object.keys(mikaPostgresMigrations(location)).sort();
  return {
    applied: names
      .filter((name) => applied.has(name))
      .map((name) => ({ name, appliedAt: applied.get(name)! })),
    pending: names.filter((name) => !applied.has(name)),
  };
}

/**
 * Applies pending migrations while holding a session advisory lock on one connection, so two
 * processes migrating at once run one after the other: the second finds nothing pending.
 * Each migration runs in its own transaction together with its record.
 */
export async function migrateToLatest(
  db: AnyDb,
  location: MikaTableLocation,
): Promise<MikaMigrationStatus> {
  return db.connection().execute(async (connection) => {
    const unlock = () => sql`select pg_advisory_unlock(${lockKey(location)})`.execute(connection);
    await sql`select pg_advisory_lock(${lockKey(location)})`.execute(connection);
    let status: MikaMigrationStatus;
    try {
      status = await migrateLocked(connection, location);
    } catch (error) {
      // A broken connection drops its session locks with it; the migration error is the news.
      await unlock().catch(() => {});
      throw error;
    }
    await unlock();
    return status;
  });
}

async function migrateLocked(
  connection: AnyDb,
  location: MikaTableLocation,
): Promise<MikaMigrationStatus> {
  await sql`create schema if not exists ${sql.id(location.schema)}`.execute(connection);
  await sql`
    create table if not exists ${migrationsTable(location)} (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(connection);
  const applied = await readApplied(connection, location);
  const migrations = mikaPostgresMigrations(location);
  for (const name of Object.keys(migrations).sort()) {
    if (applied.has(name)) continue;
    try {
      await connection.transaction().execute(async (trx) => {
        await migrations[name]!.up(trx);
        await sql`insert into ${migrationsTable(location)} (name) values (${name})`.execute(trx);
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MikaPostgresMigrationError(
        name,
        `Postgres migration "${name}" failed and was rolled back: ${reason}`,
        { cause: error },
      );
    }
  }
  return statusFrom(location, await readApplied(connection, location));
}

/** Which shipped migrations are applied (with when) and which are pending. Changes nothing. */
export async function readMigrationStatus(
  db: AnyDb,
  location: MikaTableLocation,
): Promise<MikaMigrationStatus> {
  return statusFrom(location, await readApplied(db, location));
}
