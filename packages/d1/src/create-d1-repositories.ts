import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createSqliteStorageAdapter } from "@mika-maintenance/sqlite";
import { createD1Database } from "./database/d1-database.ts";
import { type MikaD1RepositoriesOptions, resolveD1Options } from "./options.ts";

/**
 * Every mika-maintenance port over a Cloudflare D1 database, from its binding (`env.DB` in a
 * Worker). Nothing is sent until the first call; call `migrate()` before use (it is safe when
 * two Workers run it at once).
 */
export function createD1Repositories(options: MikaD1RepositoriesOptions): MikaStorageAdapter {
  return createSqliteStorageAdapter(createD1Database(resolveD1Options(options)));
}
