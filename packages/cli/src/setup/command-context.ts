import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { MikaCliIo } from "../io.ts";
import type { MikaCliConfig } from "./config-schema.ts";
import { DEFAULT_DATABASE_URL, type MikaDatabaseTarget, parseDatabaseUrl } from "./database-url.ts";
import { loadConfigModule } from "./load-config.ts";
import { closeQuietly, openStore } from "./open-store.ts";

/** Flags every command accepts. */
export interface MikaGlobalFlags {
  databaseUrl?: string;
  config?: string;
  schema?: string;
  tablePrefix?: string;
  json?: boolean;
  table?: boolean;
}

/** What a command body works with. */
export interface MikaCommandContext {
  io: MikaCliIo;
  store: MikaStorageAdapter;
  config: MikaCliConfig;
  target: MikaDatabaseTarget;
  /** JSON output: `--json`, or stdout is not a terminal (unless `--table`). */
  json: boolean;
  color: boolean;
}

/**
 * Validates the database URL and config module, opens the store, runs `body`, and closes the
 * store whatever happens. Everything that can be bad input is checked before `body` runs.
 */
export async function withStore(
  io: MikaCliIo,
  flags: MikaGlobalFlags,
  options: { create: boolean; requireMigrated: boolean; migrate?: boolean; json?: boolean },
  body: (context: MikaCommandContext) => Promise<number>,
): Promise<number> {
  const target = databaseTarget(io, flags);
  const configSource = flags.config ? await loadConfigModule(flags.config, io.cwd) : null;
  const { store, migrations } = await openStore(target, {
    schema: flags.schema,
    tablePrefix: flags.tablePrefix,
    create: options.create || options.migrate === true,
    requireMigrated: options.requireMigrated && options.migrate !== true,
  });
  try {
    const config = configSource ? await configSource.resolve({ repositories: store }) : {};
    if (options.migrate && migrations.pending.length > 0) await store.migrate();
    return await body({
      io,
      store,
      config,
      target,
      json: options.json ?? (flags.json === true || (!io.isTTY && flags.table !== true)),
      color: io.isTTY,
    });
  } finally {
    await closeQuietly(store);
  }
}

/** The database the flags (or `MIKA_DATABASE_URL`) point at. */
export function databaseTarget(io: MikaCliIo, flags: MikaGlobalFlags): MikaDatabaseTarget {
  return parseDatabaseUrl(
    flags.databaseUrl ?? io.env.MIKA_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    io.cwd,
  );
}
