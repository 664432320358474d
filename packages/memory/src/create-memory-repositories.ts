import type {
  MikaAcpSessionStore,
  MikaMigrationStatus,
  MikaStorageAdapter,
} from "@mika-maintenance/core";
import { dumpTables, type MikaMemoryTableDump } from "./database/dump-tables.ts";
import { type MikaMemoryRepositoriesOptions, resolveMemoryOptions } from "./options.ts";
import { createMemoryAccount } from "./repositories/account.ts";
import { createMemoryAcpSessions } from "./repositories/acp-sessions.ts";
import { createMemoryEphemeral } from "./repositories/ephemeral.ts";
import { createMemoryLeadership } from "./repositories/leadership.ts";
import { createMemoryLedger } from "./repositories/ledger.ts";
import { createMemoryOps } from "./repositories/ops.ts";
import { createMemoryRuntimeState } from "./repositories/runtime-state.ts";
import { createMemorySession } from "./repositories/session.ts";
import { createMemoryStock } from "./repositories/stock.ts";
import { createMemoryState, type MikaMemoryTableName } from "./schema/tables.ts";

/** The memory adapter: every port, schema no-ops, and a reader of every stored row. */
export interface MikaMemoryAdapter extends MikaStorageAdapter {
  acpSessions: Required<MikaAcpSessionStore>;
  /** Every stored row of every table, deep-copied: what a test scans to see what was stored. */
  dumpTables(): MikaMemoryTableDump;
  /**
   * Backdoor writer for tests: sets one field of one stored row to any value, bypassing every
   * check, as a stray write by other code would. Throws when the row does not exist.
   */
  writeStoredValue(input: {
    table: MikaMemoryTableName;
    rowId: string;
    field: string;
    value: unknown;
  }): void;
}

/**
 * Creates an in-memory storage adapter with every port of `MikaRepositories`, for host tests,
 * development and single-process hosts. State lives as long as the returned object.
 */
export function createMemoryRepositories(
  options?: MikaMemoryRepositoriesOptions,
): MikaMemoryAdapter {
  const { createId } = resolveMemoryOptions(options);
  const state = createMemoryState(createId);
  // Nothing to migrate: the tables exist as soon as the adapter does.
  const migrationStatus = async (): Promise<MikaMigrationStatus> => ({ applied: [], pending: [] });

  return {
    ephemeral: createMemoryEphemeral(state),
    ops: createMemoryOps(state),
    account: createMemoryAccount(state),
    ledger: createMemoryLedger(state),
    session: createMemorySession(state),
    stock: createMemoryStock(state),
    acpSessions: createMemoryAcpSessions(state),
    leadership: createMemoryLeadership(state),
    runtimeState: createMemoryRuntimeState(state),
    migrate: migrationStatus,
    migrationStatus,
    // The adapter opened nothing; its rows stay readable until it is garbage collected.
    async close() {},
    dumpTables: () => dumpTables(state.tables),
    writeStoredValue({ table, rowId, field, value }) {
      const rows: Map<string, object> | undefined = state.tables[table];
      const row = rows?.get(rowId) as Record<string, unknown> | undefined;
      if (!row) throw new Error(`No row ${rowId} in memory table ${String(table)}.`);
      row[field] = structuredClone(value);
    },
  };
}
