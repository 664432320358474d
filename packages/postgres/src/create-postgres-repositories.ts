import {
  createAdaptiveBatchSize,
  fixedBatchSize,
  MIKA_SWEEP_BATCH_SIZING,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import type { Kysely } from "kysely";
import { openConnection } from "./database/open-connection.ts";
import { QualifyTablesPlugin } from "./database/qualify-tables-plugin.ts";
import { migrateToLatest, readMigrationStatus } from "./migrations/run-migrations.ts";
import { type MikaPostgresOptions, parsePostgresOptions } from "./options.ts";
import type { PostgresRepositoryContext } from "./repositories/context.ts";
import { createPostgresLeadership } from "./repositories/leadership.ts";
import { createPostgresRuntimeState } from "./repositories/runtime-state.ts";
import { createErasurePorts, createPostgresStore } from "./repositories/store.ts";
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
    newBatchSize: () =>
      resolved.batchSize === undefined
        ? createAdaptiveBatchSize(MIKA_SWEEP_BATCH_SIZING)
        : fixedBatchSize(resolved.batchSize),
    tableLabel: (table) => `${location.schema}.${physicalTableName(location, table)}`,
  };
  let closing: Promise<void> | undefined;

  const erasurePorts = createErasurePorts(context);
  const leadership = createPostgresLeadership(context);
  const runtimeState = createPostgresRuntimeState(context);

  return {
    schema: location.schema,
    tablePrefix: location.tablePrefix,
    ...erasurePorts,
    leadership,
    runtimeState,
    store: createPostgresStore(context, [...Object.values(erasurePorts), leadership, runtimeState]),
    migrate: () => migrateToLatest(db, location),
    migrationStatus: () => readMigrationStatus(db, location),
    close() {
      closing ??= connection.close();
      return closing;
    },
  };
}
