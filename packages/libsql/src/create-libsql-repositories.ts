import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createLibsqlDatabase } from "./database/libsql-database.ts";
import { applyMigrations, readMigrationStatus } from "./migrations/run-migrations.ts";
import { type MikaLibsqlRepositoriesOptions, resolveLibsqlOptions } from "./options.ts";
import { createLibsqlLeadership } from "./repositories/leadership.ts";
import { createLibsqlRuntimeState } from "./repositories/runtime-state.ts";
import { createErasurePorts, createLibsqlStore } from "./repositories/store.ts";

/**
 * Every mika-maintenance port over SQLite/libSQL: an embedded file (default
 * `file:mika-maintenance.db`), `:memory:`, a remote libSQL server, or a client you pass in.
 * Nothing is opened until the first call; call `migrate()` once before use.
 */
export function createLibsqlRepositories(
  options: MikaLibsqlRepositoriesOptions = {},
): MikaStorageAdapter {
  const database = createLibsqlDatabase(resolveLibsqlOptions(options));
  const erasurePorts = createErasurePorts(database);
  const leadership = createLibsqlLeadership(database);
  const runtimeState = createLibsqlRuntimeState(database);
  return {
    ...erasurePorts,
    leadership,
    runtimeState,
    store: createLibsqlStore(database, [...Object.values(erasurePorts), leadership, runtimeState]),
    migrate: () => applyMigrations(database),
    migrationStatus: () => readMigrationStatus(database),
    close: () => database.close(),
  };
}
