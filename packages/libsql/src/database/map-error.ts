import { LibsqlError } from "@libsql/client";
import { redactErrorSecrets, redactSecrets, redactUrl } from "@mika-maintenance/core";
import { MikaLibsqlError } from "../errors.ts";

/** What the error mapper needs to know to explain a database error. */
export interface MikaErrorContext {
  /** The file path, `:memory:` or the remote URL, as the operator knows it. */
  database: string;
  tablePrefix: string;
  busyTimeoutMs: number;
}

const CORRUPT = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT"]);
const READONLY = new Set(["SQLITE_READONLY", "SQLITE_PERM"]);

/**
 * The driver's own error: drizzle wraps it ("Failed query: …") with the original as `cause`,
 * so the chain is walked until an error carrying a SQLite code turns up.
 */
function driverError(error: unknown): { code: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof LibsqlError) return { code: current.code, message: current.message };
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") {
      return { code, message: (current as Error).message ?? String(current) };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return { code: "", message: error instanceof Error ? error.message : String(error) };
}

/** True when the error is SQLite's "database is locked" (another connection holds the lock). */
export function isBusyError(error: unknown): boolean {
  const { code } = driverError(error);
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

/**
 * Turns the driver errors an operator must act on (bad file, no write access, lock held too
 * long, tables missing, duplicate key) into `MikaLibsqlError`s that name the database and say
 * what to do. Anything else is returned as it came. Either way, passwords and tokens the
 * driver quoted (a remote URL with credentials, an `authToken`) are masked, down the
 * whole `cause` chain, because hosts log causes too.
 */
export function toMikaLibsqlError(error: unknown, context: MikaErrorContext): unknown {
  if (error instanceof MikaLibsqlError) return redactErrorSecrets(error);
  redactErrorSecrets(error);
  return redactErrorSecrets(explain(error, { ...context, database: redactUrl(context.database) }));
}

function explain(error: unknown, context: MikaErrorContext): unknown {
  const { code: fullCode, message: rawDetail } = driverError(error);
  const detail = redactSecrets(rawDetail);
  // Servers may send extended codes (SQLITE_READONLY_DIRECTORY, SQLITE_CONSTRAINT_UNIQUE).
  const code = /^SQLITE_[A-Z]+/.exec(fullCode)?.[0] ?? fullCode;
  const file = JSON.stringify(context.database);
  const options = { cause: error };
  if (CORRUPT.has(code)) {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_DATABASE_CORRUPT",
      context.database,
      `The database file ${file} is not a SQLite database or is corrupt (${detail}). ` +
        "mika-maintenance wrote nothing to it. Restore it from a backup, or point url at another file.",
      options,
    );
  }
  if (READONLY.has(code)) {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_DATABASE_READONLY",
      context.database,
      `The database file ${file} is read-only for this process (${detail}); the change was not ` +
        "written. Give the process write access to the file and to its directory (SQLite " +
        "creates -wal and -shm files next to it).",
      options,
    );
  }
  if (code === "SQLITE_CANTOPEN" || /Unable to open connection/i.test(detail)) {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_DATABASE_UNREADABLE",
      context.database,
      `Cannot open the database file ${file} (${detail}). Check that its directory exists and ` +
        "that this process may read and write the file.",
      options,
    );
  }
  if (code === "SQLITE_IOERR" || code === "SQLITE_FULL") {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_DATABASE_IO_ERROR",
      context.database,
      `Reading or writing the database file ${file} failed (${detail}); the transaction was ` +
        "rolled back. Check the disk (space, permissions, hardware).",
      options,
    );
  }
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_DATABASE_BUSY",
      context.database,
      `The database ${file} stayed locked by another connection for more than ` +
        `${context.busyTimeoutMs} ms (${detail}); nothing was changed. Retry, or raise busyTimeoutMs.`,
      options,
    );
  }
  if (code === "SQLITE_CONSTRAINT" && /UNIQUE|PRIMARY KEY/i.test(detail)) {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_DUPLICATE_KEY",
      context.database,
      `A row with the same key already exists in ${file} (${detail}); use a new id or omit it to generate one.`,
      options,
    );
  }
  // The triggers of migration 0002 say which column and what it allows.
  const broken = /(\w+)\.(\w+) must be ([^\n]+)/.exec(detail);
  if (code === "SQLITE_CONSTRAINT" && broken?.[1]?.startsWith(context.tablePrefix)) {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_CONSTRAINT_VIOLATION",
      context.database,
      `Refused a write to ${file}: ${broken[1]}.${broken[2]} must be ${broken[3]}. Nothing was changed.`,
      options,
    );
  }
  if (/no such table: ("?)[\w]*/i.test(detail) && detail.includes(context.tablePrefix)) {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_NOT_MIGRATED",
      context.database,
      `The mika-maintenance tables are missing from ${file} (${detail}). Run migrate() ` +
        "(or `mika-maintenance migrate`) once before using the adapter.",
      options,
    );
  }
  if (code === "CLIENT_CLOSED") {
    return new MikaLibsqlError(
      "MIKA_LIBSQL_CLOSED",
      context.database,
      `The libSQL client of ${file} is closed; create a new adapter.`,
      options,
    );
  }
  return error;
}
