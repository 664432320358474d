import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createLibsqlDatabase } from "./database/libsql-database.ts";
import { applyMigrations, readMigrationStatus } from "./migrations/run-migrations.ts";
import { type MikaLibsqlRepositoriesOptions, resolveLibsqlOptions } from "./options.ts";
import { createLibsqlAccount } from "./repositories/account.ts";
import { createLibsqlAcpSessions } from "./repositories/acp-sessions.ts";
import { createLibsqlEphemeral } from "./repositories/ephemeral.ts";
import { createLibsqlLeadership } from "./repositories/leadership.ts";
import { createLibsqlLedger } from "./repositories/ledger.ts";
import { createLibsqlOps } from "./repositories/ops.ts";
import { createLibsqlRuntimeState } from "./repositories/runtime-state.ts";
import { createLibsqlSession } from "./repositories/session.ts";
import { createLibsqlStock } from "./repositories/stock.ts";

/**
 * Every mika-maintenance port over SQLite/libSQL: an embedded file (default
 * `file:mika-maintenance.db`), `:memory:`, a remote libSQL server, or a client you pass in.
 * Nothing is opened until the first call; call `migrate()` once before use.
 */
export function createLibsqlRepositories(
  options: MikaLibsqlRepositoriesOptions = {},
): MikaStorageAdapter {
  const database = createLibsqlDatabase(resolveLibsqlOptions(options));
  return {
    ephemeral: createLibsqlEphemeral(database),
    ops: createLibsqlOps(database),
    account: createLibsqlAccount(database),
    ledger: createLibsqlLedger(database),
    session: createLibsqlSession(database),
    stock: createLibsqlStock(database),
    acpSessions: createLibsqlAcpSessions(database),
    leadership: createLibsqlLeadership(database),
    runtimeState: createLibsqlRuntimeState(database),
    migrate: () => applyMigrations(database),
    migrationStatus: () => readMigrationStatus(database),
    close: () => database.close(),
  };
}
