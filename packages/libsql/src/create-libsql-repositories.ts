import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createSqliteStorageAdapter } from "@mika-maintenance/sqlite";
import { createLibsqlDatabase } from "./database/libsql-database.ts";
import { type MikaLibsqlRepositoriesOptions, resolveLibsqlOptions } from "./options.ts";

/**
 * Every mika-maintenance port over SQLite/libSQL: an embedded file (default
 * `file:mika-maintenance.db`), `:memory:`, a remote libSQL server, or a client you pass in.
 * Nothing is opened until the first call; call `migrate()` once before use.
 */
export function createLibsqlRepositories(
  options: MikaLibsqlRepositoriesOptions = {},
): MikaStorageAdapter {
  return createSqliteStorageAdapter(createLibsqlDatabase(resolveLibsqlOptions(options)));
}
