import type { MikaMigrationStatus } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import type { MikaDrizzle, MikaLibsqlDatabase } from "../database/libsql-database.ts";
import {
  MikaLibsqlError,
  MikaLibsqlRowsBreakMigrationError,
  type MikaLibsqlRowViolation,
} from "../errors.ts";
import { MIKA_LIBSQL_MIGRATIONS } from "./index.ts";
import type { MikaLibsqlMigration } from "./migration.ts";

type AppliedMigration = MikaMigrationStatus["applied"][number];

async function readApplied(
  db: MikaDrizzle,
  database: MikaLibsqlDatabase,
): Promise<AppliedMigration[]> {
  const t = database.tables.migrations;
  // A handful of rows, one per shipped migration.
  const rows = await db.select().from(t).orderBy(t.name);
  return rows.map((row) => ({ name: row.name, appliedAt: row.appliedAt }));
}

async function migrationsTableExists(db: MikaDrizzle, database: MikaLibsqlDatabase) {
  // SQLite resolves table names without regard to case (`MIKA_migrations` is `mika_migrations`),
  // so the lookup must too, or a prefix like `MIKA_` migrates and then finds no schema.
  const rows = await db.all(
    sql`select 1 from sqlite_master where type = 'table' and name = ${`${database.tablePrefix}migrations`} collate nocase`,
  );
  return rows.length > 0;
}

function statusOf(
  applied: AppliedMigration[],
  migrations: readonly MikaLibsqlMigration[],
): MikaMigrationStatus {
  const done = new Set(applied.map((migration) => migration.name));
  return {
    applied,
    pending: migrations.filter((migration) => !done.has(migration.name)).map((m) => m.name),
  };
}

function rejectUnknown(
  applied: AppliedMigration[],
  migrations: readonly MikaLibsqlMigration[],
  database: MikaLibsqlDatabase,
): void {
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = applied.filter((migration) => !known.has(migration.name));
  if (unknown.length > 0) {
    throw new MikaLibsqlError(
      "MIKA_LIBSQL_SCHEMA_TOO_NEW",
      database.label(),
      `The database ${JSON.stringify(database.label())} has migrations this version of ` +
        `@mika-maintenance/libsql does not know (${unknown.map((m) => m.name).join(", ")}); ` +
        "a newer version migrated it. Upgrade the package instead of running an older one against it.",
    );
  }
}

/** Violations reported per migration at most; the count says when there were more. */
const MAX_REPORTED_ROWS = 1_000;

/**
 * Throws, naming every row (up to `MAX_REPORTED_ROWS`), when stored rows break a rule the
 * migration adds. Runs inside the migration transaction, so the throw rolls everything back.
 */
async function refuseBreakingRows(
  db: MikaDrizzle,
  database: MikaLibsqlDatabase,
  migration: MikaLibsqlMigration,
): Promise<void> {
  const violations: MikaLibsqlRowViolation[] = [];
  let more = false;
  for (const check of migration.rowChecks?.(database.tablePrefix) ?? []) {
    const room = MAX_REPORTED_ROWS - violations.length;
    const rows = await db.all<{ row_key: unknown; value: unknown }>(
      sql.raw(`${check.sql} LIMIT ${room + 1}`),
    );
    if (rows.length > room) more = true;
    for (const row of rows.slice(0, room)) {
      violations.push({
        table: check.table,
        rowKey: String(row.row_key),
        column: check.column,
        value: String(row.value),
        allowed: check.allowed,
      });
    }
    if (more) break;
  }
  if (violations.length > 0) {
    throw new MikaLibsqlRowsBreakMigrationError(database.label(), migration.name, violations, more);
  }
}

/** Which shipped migrations the database has applied, and which are pending. Writes nothing. */
export async function readMigrationStatus(
  database: MikaLibsqlDatabase,
  migrations: readonly MikaLibsqlMigration[] = MIKA_LIBSQL_MIGRATIONS,
): Promise<MikaMigrationStatus> {
  return database.run(async (db) => {
    if (!(await migrationsTableExists(db, database))) return statusOf([], migrations);
    return statusOf(await readApplied(db, database), migrations);
  });
}

/**
 * Applies pending migrations in one write transaction. `BEGIN IMMEDIATE` takes the write lock
 * before the applied list is read, so a second process migrating at the same time waits, then
 * finds everything applied; a failure rolls every statement back.
 */
export async function applyMigrations(
  database: MikaLibsqlDatabase,
  migrations: readonly MikaLibsqlMigration[] = MIKA_LIBSQL_MIGRATIONS,
): Promise<MikaMigrationStatus> {
  const t = database.tables.migrations;
  const prefix = database.tablePrefix;
  return database.transaction(async (db) => {
    await db.run(
      sql.raw(`CREATE TABLE IF NOT EXISTS "${prefix}migrations" (
        "name" text PRIMARY KEY NOT NULL,
        "applied_at" integer NOT NULL
      )`),
    );
    const applied = await readApplied(db, database);
    rejectUnknown(applied, migrations, database);
    const done = new Set(applied.map((migration) => migration.name));
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await refuseBreakingRows(db, database, migration);
      for (const statement of migration.up(prefix)) await db.run(sql.raw(statement));
      // Bookkeeping only: when the schema changed, by the wall clock.
      const appliedAt = new Date().toISOString();
      await db.insert(t).values({ name: migration.name, appliedAt });
      applied.push({ name: migration.name, appliedAt });
    }
    return statusOf(applied, migrations);
  });
}
