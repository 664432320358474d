import type { MikaMigrationStatus } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import type { MikaSqliteDatabase, MikaSqliteDrizzle } from "../database.ts";
import type { MikaSqliteRowViolation } from "../errors.ts";
import { MIKA_SQLITE_MIGRATIONS } from "./index.ts";
import type { MikaSqliteMigration } from "./migration.ts";

type AppliedMigration = MikaMigrationStatus["applied"][number];

async function readApplied(
  db: MikaSqliteDrizzle,
  database: MikaSqliteDatabase,
): Promise<AppliedMigration[]> {
  const t = database.tables.migrations;
  // A handful of rows, one per shipped migration.
  const rows = await db.select().from(t).orderBy(t.name);
  return rows.map((row) => ({ name: row.name, appliedAt: row.appliedAt }));
}

async function migrationsTableExists(db: MikaSqliteDrizzle, database: MikaSqliteDatabase) {
  // SQLite resolves table names without regard to case (`MIKA_migrations` is `mika_migrations`),
  // so the lookup must too, or a prefix like `MIKA_` migrates and then finds no schema.
  const rows = await db.all(
    sql`select 1 from sqlite_master where type = 'table' and name = ${`${database.tablePrefix}migrations`} collate nocase`,
  );
  return rows.length > 0;
}

function statusOf(
  applied: AppliedMigration[],
  migrations: readonly MikaSqliteMigration[],
): MikaMigrationStatus {
  const done = new Set(applied.map((migration) => migration.name));
  return {
    applied,
    pending: migrations.filter((migration) => !done.has(migration.name)).map((m) => m.name),
  };
}

function rejectUnknown(
  applied: AppliedMigration[],
  migrations: readonly MikaSqliteMigration[],
  database: MikaSqliteDatabase,
): void {
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = applied.filter((migration) => !known.has(migration.name));
  if (unknown.length > 0) throw database.errors.schemaTooNew(unknown.map((m) => m.name));
}

/** Violations reported per migration at most; the count says when there were more. */
const MAX_REPORTED_ROWS = 1_000;

/**
 * Throws, naming every row (up to `MAX_REPORTED_ROWS`), when stored rows break a rule the
 * migration adds. Runs inside the migration transaction, so the throw rolls everything back.
 */
async function refuseBreakingRows(
  db: MikaSqliteDrizzle,
  database: MikaSqliteDatabase,
  migration: MikaSqliteMigration,
): Promise<void> {
  const checks = migration.rowChecks?.(database.tablePrefix) ?? [];
  const [first, ...rest] = checks.map((check) =>
    db.all<{ row_key: unknown; value: unknown }>(
      sql.raw(`${check.sql} LIMIT ${MAX_REPORTED_ROWS + 1}`),
    ),
  );
  if (!first) return;
  // One round trip for every rule: a D1 migration would otherwise spend one per rule.
  const found = await db.batch([first, ...rest]);
  const violations: MikaSqliteRowViolation[] = [];
  let more = false;
  checks.forEach((check, index) => {
    for (const row of found[index] ?? []) {
      if (violations.length === MAX_REPORTED_ROWS) {
        more = true;
        return;
      }
      violations.push({
        table: check.table,
        rowKey: String(row.row_key),
        column: check.column,
        value: String(row.value),
        allowed: check.allowed,
      });
    }
  });
  if (violations.length > 0) {
    throw database.errors.rowsBreakMigration(migration.name, violations, more);
  }
}

/** Which shipped migrations the database has applied, and which are pending. Writes nothing. */
export async function readMigrationStatus(
  database: MikaSqliteDatabase,
  migrations: readonly MikaSqliteMigration[] = MIKA_SQLITE_MIGRATIONS,
): Promise<MikaMigrationStatus> {
  return database.run(async (db) => {
    if (!(await migrationsTableExists(db, database))) return statusOf([], migrations);
    return statusOf(await readApplied(db, database), migrations);
  });
}

function createMigrationsTable(prefix: string) {
  return sql.raw(`CREATE TABLE IF NOT EXISTS "${prefix}migrations" (
    "name" text PRIMARY KEY NOT NULL,
    "applied_at" integer NOT NULL
  )`);
}

/**
 * Applies pending migrations: in one interactive write transaction where the driver has one,
 * else one atomic batch per migration.
 */
export function applyMigrations(
  database: MikaSqliteDatabase,
  migrations: readonly MikaSqliteMigration[] = MIKA_SQLITE_MIGRATIONS,
): Promise<MikaMigrationStatus> {
  return database.transaction
    ? applyInOneTransaction(database, database.transaction, migrations)
    : applyBatchByBatch(database, migrations);
}

/**
 * `BEGIN IMMEDIATE` takes the write lock before the applied list is read, so a second process
 * migrating at the same time waits, then finds everything applied; a failure rolls every
 * statement back.
 */
function applyInOneTransaction(
  database: MikaSqliteDatabase,
  transaction: NonNullable<MikaSqliteDatabase["transaction"]>,
  migrations: readonly MikaSqliteMigration[],
): Promise<MikaMigrationStatus> {
  const t = database.tables.migrations;
  const prefix = database.tablePrefix;
  return transaction(async (db) => {
    await db.run(createMigrationsTable(prefix));
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

/**
 * Without interactive transactions (D1): each migration is one atomic batch that records the
 * migration FIRST. When two Workers migrate at once, the second one's record breaks the
 * primary key, so its whole batch (schema statements included) rolls back; it then reads the
 * applied list again and finds the migration done. The row checks run just before the batch:
 * a row written between the two is caught by the rules the migration adds from then on.
 */
async function applyBatchByBatch(
  database: MikaSqliteDatabase,
  migrations: readonly MikaSqliteMigration[],
): Promise<MikaMigrationStatus> {
  const t = database.tables.migrations;
  const prefix = database.tablePrefix;
  await database.run((db) => db.run(createMigrationsTable(prefix)));
  // Read once; read again only after a batch failed (another Worker may have applied more).
  let applied = await database.run((db) => readApplied(db, database));
  rejectUnknown(applied, migrations, database);
  for (const migration of migrations) {
    if (applied.some((done) => done.name === migration.name)) continue;
    await database.run((db) => refuseBreakingRows(db, database, migration));
    const appliedAt = new Date().toISOString();
    try {
      await database.run((db) =>
        db.batch([
          db.insert(t).values({ name: migration.name, appliedAt }),
          ...migration.up(prefix).map((statement) => db.run(sql.raw(statement))),
        ]),
      );
      applied = [...applied, { name: migration.name, appliedAt }];
    } catch (error) {
      applied = await database.run((db) => readApplied(db, database));
      if (!applied.some((done) => done.name === migration.name)) throw error;
    }
  }
  return statusOf(applied, migrations);
}
