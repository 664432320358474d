import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { MikaCliInputError } from "../errors.ts";
import type { MikaCliIo } from "../io.ts";
import { useColor } from "./color.ts";
import type { MikaCliConfig } from "./config-schema.ts";
import {
  DEFAULT_DATABASE_URL,
  type MikaDatabaseTarget,
  type MikaDatabaseUrlSource,
  parseDatabaseUrl,
} from "./database-url.ts";
import type { MikaGlobalFlags } from "./global-options.ts";
import { loadConfigModule } from "./load-config.ts";
import { closeQuietly, openStore } from "./open-store.ts";

export type { MikaGlobalFlags } from "./global-options.ts";

/** What a command body works with. */
export interface MikaCommandContext {
  io: MikaCliIo;
  store: MikaStorageAdapter;
  config: MikaCliConfig;
  target: MikaDatabaseTarget;
  flags: MikaGlobalFlags;
  /** JSON output: `--json`, or stdout is not a terminal (unless `--table`). */
  json: boolean;
  /** Colour on stdout (`NO_COLOR`, `FORCE_COLOR`, else a terminal). */
  color: boolean;
}

/** How a command wants its store. */
export interface MikaStoreNeeds {
  /** Does the command write the schema (migrate, or `--migrate`)? Only then may a file be created. */
  migrates: boolean;
  /** Apply pending migrations before the body runs (`--migrate`). */
  migrateFirst?: boolean;
  requireMigrated: boolean;
  json?: boolean;
}

/**
 * Validates the database URL and config module, opens the store, runs `body`, and closes the
 * store whatever happens. Everything that can be bad input is checked before `body` runs.
 */
export async function withStore(
  io: MikaCliIo,
  flags: MikaGlobalFlags,
  needs: MikaStoreNeeds,
  body: (context: MikaCommandContext) => Promise<number>,
): Promise<number> {
  const target = databaseTarget(io, flags);
  const configSource = flags.config ? await loadConfigModule(flags.config, io.cwd) : null;
  const { store, migrations } = await openStore(target, {
    schema: flags.schema,
    tablePrefix: flags.tablePrefix,
    authToken: flags.authToken,
    create: needs.migrates && mayCreate(target, flags),
    creatable: needs.migrates,
    requireMigrated: needs.requireMigrated,
  });
  try {
    const config = configSource ? await configSource.resolve({ repositories: store }) : {};
    if (needs.migrateFirst && migrations.pending.length > 0) await store.migrate();
    return await body({
      io,
      store,
      config,
      target,
      flags,
      json: needs.json ?? (flags.json === true || (!io.isTTY && flags.table !== true)),
      color: useColor(io.env, io.isTTY),
    });
  } finally {
    await closeQuietly(store);
  }
}

/**
 * A new local file is created only when the URL was given (flag or environment) or
 * `--create` says so: a forgotten `DATABASE_URL` must not migrate a stray default file.
 */
function mayCreate(target: MikaDatabaseTarget, flags: MikaGlobalFlags): boolean {
  return target.source !== "default" || flags.create === true;
}

/** The database the flags point at: `--database-url`, `MIKA_DATABASE_URL`, `DATABASE_URL`. */
export function databaseTarget(io: MikaCliIo, flags: MikaGlobalFlags): MikaDatabaseTarget {
  // An empty variable counts as unset, as shells and container specs often leave them.
  const given = (value: string | undefined) =>
    value === undefined || value === "" ? undefined : value;
  const fromEnv = given(io.env.MIKA_DATABASE_URL);
  const flag = flags.databaseUrl === io.env.MIKA_DATABASE_URL ? undefined : flags.databaseUrl;
  let source: MikaDatabaseUrlSource;
  let url: string;
  if (flag !== undefined) {
    [source, url] = ["--database-url", flag];
  } else if (fromEnv !== undefined) {
    [source, url] = ["MIKA_DATABASE_URL", fromEnv];
  } else if (given(io.env.DATABASE_URL) !== undefined) {
    [source, url] = ["DATABASE_URL", io.env.DATABASE_URL!];
  } else {
    [source, url] = ["default", DEFAULT_DATABASE_URL];
  }
  const target = parseDatabaseUrl(url, io.cwd, source);
  if (flags.authToken !== undefined && target.adapter !== "libsql") {
    throw new MikaCliInputError(
      "--auth-token (MIKA_AUTH_TOKEN) applies to remote libSQL databases only; a Postgres password belongs in the URL or PGPASSWORD.",
    );
  }
  return target;
}
