import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "emdash";
import { runMigrations } from "emdash/db";
import { createDialect } from "emdash/db/libsql";
import { Kysely, sql } from "kysely";

/** One row of EmDash's `_emdash_cron_tasks` table. */
export interface CronTaskRow {
  id: string;
  plugin_id: string;
  task_name: string;
  schedule: string;
  is_oneshot: number;
  data: string | null;
  next_run_at: string;
  last_run_at: string | null;
  status: string;
  locked_at: string | null;
  enabled: number;
}

/** A scratch directory removed by `cleanup()`. */
export function createScratchDirectory(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

let migratedTemplate: Promise<string> | undefined;

/** Runs EmDash's migrations once per test process on a template SQLite file. */
function migrateTemplate(): Promise<string> {
  migratedTemplate ??= (async () => {
    const directory = mkdtempSync(join(tmpdir(), "mika-emdash-template-"));
    const file = join(directory, "template.db");
    const db = new Kysely<Database>({ dialect: createDialect({ url: `file:${file}` }) });
    await runMigrations(db);
    await db.destroy();
    return file;
  })();
  return migratedTemplate;
}

/**
 * Opens a fresh SQLite file migrated by EmDash's own migrations, through EmDash's libSQL
 * dialect. The migrations run once per test process; each call gets a copy of that database.
 */
export async function openMigratedEmDashDatabase(file: string): Promise<Kysely<Database>> {
  copyFileSync(await migrateTemplate(), file);
  const db = new Kysely<Database>({ dialect: createDialect({ url: `file:${file}` }) });
  // Already migrated: this only checks that every EmDash migration is recorded as applied.
  await runMigrations(db);
  return db;
}

/** Reads EmDash's cron table directly, as an operator would. */
export async function readCronTasks(db: Kysely<Database>): Promise<CronTaskRow[]> {
  const result = await sql<CronTaskRow>`
    SELECT * FROM _emdash_cron_tasks ORDER BY plugin_id, task_name
  `.execute(db);
  return result.rows;
}

/** Moves a task's next run to `at`, so the next tick claims it with `scheduledAt = at`. */
export async function makeTaskDue(
  db: Kysely<Database>,
  taskName: string,
  at: string,
): Promise<void> {
  await sql`UPDATE _emdash_cron_tasks SET next_run_at = ${at} WHERE task_name = ${taskName}`.execute(
    db,
  );
}

/** A whole minute safely in the past, as an ISO string: a due `next_run_at` for the next tick. */
export function aMinuteAgo(): string {
  const now = Date.now();
  return new Date(now - (now % 60_000) - 60_000).toISOString();
}
