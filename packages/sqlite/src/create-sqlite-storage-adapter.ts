import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { MikaSqliteDatabase } from "./database.ts";
import { applyMigrations, readMigrationStatus } from "./migrations/run-migrations.ts";
import { createSqliteLeadership } from "./repositories/leadership.ts";
import { createSqliteRuntimeState } from "./repositories/runtime-state.ts";
import { createErasurePorts, createSqliteStore } from "./repositories/store.ts";

/**
 * Every mika-maintenance port over one SQLite database, whichever driver reaches it: the
 * libSQL and D1 adapters each build a `MikaSqliteDatabase` and hand it here.
 */
export function createSqliteStorageAdapter(database: MikaSqliteDatabase): MikaStorageAdapter {
  const erasurePorts = createErasurePorts(database);
  const leadership = createSqliteLeadership(database);
  const runtimeState = createSqliteRuntimeState(database);
  return {
    ...erasurePorts,
    leadership,
    runtimeState,
    store: createSqliteStore(database, [...Object.values(erasurePorts), leadership, runtimeState]),
    migrate: () => applyMigrations(database),
    migrationStatus: () => readMigrationStatus(database),
    close: () => database.close(),
  };
}
