import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { MikaMigrationStatus, MikaStorageAdapter } from "@mika-maintenance/core";
import { errorMessage, redactSecrets } from "@mika-maintenance/core";
import { MikaCliInputError } from "../errors.ts";
import type { MikaDatabaseTarget } from "./database-url.ts";

/** How a command wants the store. */
export interface MikaOpenStoreOptions {
  /** Postgres schema. */
  schema?: string | undefined;
  tablePrefix?: string | undefined;
  /** Auth token of a remote libSQL database. */
  authToken?: string | undefined;
  /** May the command create an embedded database file now? */
  create: boolean;
  /** Would it, had the URL named the file (or `--create` been given)? Shapes the message. */
  creatable?: boolean;
  /** Must the schema be migrated already? */
  requireMigrated: boolean;
  /** How long the first query may take before the database counts as unreachable. */
  connectTimeoutMs?: number;
}

/** An open store and its migration state. */
export interface MikaOpenedStore {
  store: MikaStorageAdapter;
  migrations: MikaMigrationStatus;
}

/**
 * Opens the adapter the URL selects and proves the database answers. Bad input (an option
 * the adapter rejects, a missing file, an unreachable server, an unmigrated schema) is a
 * `MikaCliInputError`, raised before anything is written.
 */
export async function openStore(
  target: MikaDatabaseTarget,
  options: MikaOpenStoreOptions,
): Promise<MikaOpenedStore> {
  if (target.adapter === "libsql" && target.file) checkFile(target, options);
  if (target.adapter === "libsql" && options.schema !== undefined) {
    throw new MikaCliInputError(
      "--schema applies to Postgres only; libSQL has no schemas (use --table-prefix).",
    );
  }
  const store = await createAdapter(target, options);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  let migrations: MikaMigrationStatus;
  try {
    migrations = await withTimeout(store.migrationStatus(), timeoutMs);
  } catch (error) {
    await closeQuietly(store);
    throw new MikaCliInputError(
      `cannot reach the database at ${target.display}: ${firstLine(error)}`,
      { cause: error },
    );
  }
  if (options.requireMigrated && migrations.pending.length > 0) {
    await closeQuietly(store);
    const never = migrations.applied.length === 0;
    throw new MikaCliInputError(
      never
        ? `the database at ${target.display} has no mika-maintenance schema yet; run \`mika-maintenance migrate --database-url ${target.display}\` first (or pass --migrate).`
        : `the database at ${target.display} has ${migrations.pending.length} pending migration(s) (${migrations.pending.join(", ")}); run \`mika-maintenance migrate\` first (or pass --migrate).`,
    );
  }
  return { store, migrations };
}

async function createAdapter(
  target: MikaDatabaseTarget,
  options: MikaOpenStoreOptions,
): Promise<MikaStorageAdapter> {
  try {
    if (target.adapter === "postgres") {
      const { createPostgresRepositories } = await import("@mika-maintenance/postgres");
      return createPostgresRepositories({
        connectionString: target.url,
        ...(options.schema !== undefined ? { schema: options.schema } : {}),
        ...(options.tablePrefix !== undefined ? { tablePrefix: options.tablePrefix } : {}),
      });
    }
    const { createLibsqlRepositories } = await import("@mika-maintenance/libsql");
    return createLibsqlRepositories({
      url: target.url,
      ...(options.tablePrefix !== undefined ? { tablePrefix: options.tablePrefix } : {}),
      ...(options.authToken !== undefined ? { authToken: options.authToken } : {}),
    });
  } catch (error) {
    throw new MikaCliInputError(adapterOptionMessage(error), { cause: error });
  }
}

const OPTION_FLAGS: Record<string, string> = {
  schema: "--schema",
  tablePrefix: "--table-prefix",
  authToken: "--auth-token",
  url: "--database-url",
  connectionString: "--database-url",
};

/**
 * An adapter's options error as the flag that caused it, with the whole reason: the adapters
 * name the field (`issues` on libSQL, `field` on Postgres); the message is never cut off.
 */
function adapterOptionMessage(error: unknown): string {
  const shaped = error as { field?: unknown; issues?: { field: string; message: string }[] };
  const issues = Array.isArray(shaped.issues)
    ? shaped.issues
    : typeof shaped.field === "string"
      ? [{ field: shaped.field, message: wholeMessage(error) }]
      : [];
  if (issues.length === 0) return `--database-url: ${wholeMessage(error)}`;
  return issues
    .map(({ field, message }) => {
      const flag = OPTION_FLAGS[field.split(".")[0] ?? ""] ?? `--database-url (${field})`;
      return `${flag}: ${message
        .replace(new RegExp(`^${field}:\\s*`), "")
        .replace(/\s+/g, " ")
        .trim()}`;
    })
    .join("; ");
}

function wholeMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, " ")
    .trim();
}

function checkFile(
  target: Extract<MikaDatabaseTarget, { adapter: "libsql" }>,
  options: MikaOpenStoreOptions,
): void {
  const create = options.create;
  const file = target.file!;
  if (existsSync(file)) {
    if (!statSync(file).isFile()) {
      throw new MikaCliInputError(`--database-url ${target.display} is not a file.`);
    }
    return;
  }
  if (!create && options.creatable) {
    throw new MikaCliInputError(
      `the database file ${target.display} does not exist, and no database URL was given (--database-url, MIKA_DATABASE_URL or DATABASE_URL); name the file to create it (--database-url ${target.display}) or pass --create.`,
    );
  }
  if (!create) {
    throw new MikaCliInputError(
      `the database file ${target.display} does not exist; run \`mika-maintenance migrate --database-url ${target.display}\` to create it.`,
    );
  }
  const directory = path.dirname(file);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new MikaCliInputError(
      `cannot create the database file ${target.display}: the directory ${directory} does not exist.`,
    );
  }
}

/** Closes a store, ignoring errors (it may never have connected). */
export async function closeQuietly(store: MikaStorageAdapter): Promise<void> {
  try {
    await withTimeout(store.close(), 5_000);
  } catch {
    // Nothing useful to do: the process is about to report and exit.
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The error and the driver's cause below it, masked, on one line (see core's `errorMessage`). */
function firstLine(error: unknown): string {
  const message = errorMessage(error);
  return (message.split("\n")[0] ?? message).trim() || "unknown error";
}
