import type { MikaMigrationStatus } from "@mika-maintenance/core";
import { type Kysely, sql } from "kysely";
import { Migrator } from "kysely/migration";
import { MikaPostgresMigrationError } from "../errors.ts";
import { MikaPostgresMigrationProvider } from "./migrations/index.ts";
import { type MikaTableLocation, migrationTableNames } from "./table-names.ts";

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on whatever the tables are now.
type AnyDb = Kysely<any>;

function createMigrator(db: AnyDb, location: MikaTableLocation): Migrator {
  const tables = migrationTableNames(location);
  return new Migrator({
    db,
    provider: new MikaPostgresMigrationProvider(location),
    migrationTableSchema: location.schema,
    migrationTableName: tables.migrations,
    migrationLockTableName: tables.lock,
  });
}

/** One advisory lock key per schema and prefix, so unrelated installs never wait on each other. */
function lockKey(location: MikaTableLocation) {
  return sql`hashtext('mika-maintenance'), hashtext(${`${location.schema}.${location.tablePrefix}`})`;
}

async function readStatus(migrator: Migrator): Promise<MikaMigrationStatus> {
  const migrations = await migrator.getMigrations();
  return {
    applied: migrations
      .filter((migration) => migration.executedAt)
      .map((migration) => ({
        name: migration.name,
        appliedAt: (migration.executedAt as Date).toISOString(),
      })),
    pending: migrations.filter((migration) => !migration.executedAt).map((m) => m.name),
  };
}

/**
 * Applies pending migrations while holding a session advisory lock on one connection, so two
 * processes migrating at once run one after the other: the second finds nothing pending. The
 * bookkeeping tables the migrator creates before its own lock are covered too.
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
  const migrator = createMigrator(connection, location);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failedMigration = results?.find((result) => result.status === "Error");
    const name = failedMigration?.migrationName ?? null;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MikaPostgresMigrationError(
      name,
      `Postgres migration ${name ? `"${name}" ` : ""}failed and was rolled back: ${reason}`,
      { cause: error },
    );
  }
  return readStatus(migrator);
}

/** Which shipped migrations are applied (with when) and which are pending. Changes nothing. */
export async function readMigrationStatus(
  db: AnyDb,
  location: MikaTableLocation,
): Promise<MikaMigrationStatus> {
  return readStatus(createMigrator(db, location));
}
