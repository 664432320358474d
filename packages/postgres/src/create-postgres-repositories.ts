import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { Kysely } from "kysely";
import { openConnection } from "./database/open-connection.ts";
import { QualifyTablesPlugin } from "./database/qualify-tables-plugin.ts";
import { migrateToLatest, readMigrationStatus } from "./migrations/run-migrations.ts";
import { type MikaPostgresOptions, parsePostgresOptions } from "./options.ts";
import { createPostgresAccount } from "./repositories/account.ts";
import { createPostgresAcpSessions } from "./repositories/acp-sessions.ts";
import type { PostgresRepositoryContext } from "./repositories/context.ts";
import { createPostgresEphemeral } from "./repositories/ephemeral.ts";
import { createPostgresLeadership } from "./repositories/leadership.ts";
import { createPostgresLedger } from "./repositories/ledger.ts";
import { createPostgresOps } from "./repositories/ops.ts";
import { createPostgresRuntimeState } from "./repositories/runtime-state.ts";
import { createPostgresSession } from "./repositories/session.ts";
import { createPostgresStock } from "./repositories/stock.ts";
import { physicalTableName } from "./schema/table-names.ts";
import type { MikaPostgresDatabase } from "./schema/tables.ts";

/** The Postgres adapter: every port, migrations, and where its tables live. */
export interface MikaPostgresAdapter extends MikaStorageAdapter {
  /** The validated schema the tables live in. */
  readonly schema: string;
  /** The validated prefix of every table and index name. */
  readonly tablePrefix: string;
}

/**
 * Creates the Postgres storage adapter over a pg `pool`, a `connectionString` (the adapter then
 * owns a pool and ends it on `close()`), or a host's own Kysely `db`. Nothing connects until the
 * first query; call `migrate()` once before use.
 */
export function createPostgresRepositories(options: MikaPostgresOptions): MikaPostgresAdapter {
  const resolved = parsePostgresOptions(options);
  const location = { schema: resolved.schema, tablePrefix: resolved.tablePrefix };
  const connection = openConnection(resolved);
  // The host's plugins (e.g. CamelCasePlugin) would rename our columns; ours adds schema and prefix.
  const db = connection.db
    .withoutPlugins()
    .withPlugin(new QualifyTablesPlugin(location)) as Kysely<MikaPostgresDatabase>;
  const context: PostgresRepositoryContext = {
    db,
    batchSize: resolved.batchSize,
    tableLabel: (table) => `${location.schema}.${physicalTableName(location, table)}`,
  };
  let closing: Promise<void> | undefined;

  return {
    schema: location.schema,
    tablePrefix: location.tablePrefix,
    ephemeral: createPostgresEphemeral(context),
    ops: createPostgresOps(context),
    account: createPostgresAccount(context),
    ledger: createPostgresLedger(context),
    session: createPostgresSession(context),
    stock: createPostgresStock(context),
    acpSessions: createPostgresAcpSessions(context),
    leadership: createPostgresLeadership(context),
    runtimeState: createPostgresRuntimeState(context),
    migrate: () => migrateToLatest(db, location),
    migrationStatus: () => readMigrationStatus(db, location),
    close() {
      closing ??= connection.close();
      return closing;
    },
  };
}
