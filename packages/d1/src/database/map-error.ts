import { MikaMaintenanceError, redactErrorSecrets, redactSecrets } from "@mika-maintenance/core";
import { MikaD1Error } from "../errors.ts";

/** What the error mapper needs to know to explain a D1 error. */
export interface MikaD1ErrorContext {
  database: string;
  tablePrefix: string;
}

/**
 * D1's own words: drizzle wraps the binding's error ("Failed query: <SQL> params: …") with the
 * original as `cause`, and D1 says `D1_ERROR: <SQLite message>: SQLITE_<CODE>`; the deepest
 * error of the chain is the one that names what went wrong.
 */
function driverDetail(error: unknown): string {
  let current: unknown = error;
  let detail = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof Error && !current.message.startsWith("Failed query:")) {
      detail = current.message;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return redactSecrets(
    detail
      .replace(/^D1_ERROR:\s*/, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/**
 * Turns every driver error of a D1 call into a `MikaD1Error` naming the database, with D1's own
 * message in one line (a failed query's SQL and parameters stay on `cause`, not in the line
 * operators read) and what to do where there is something to do.
 */
export function toMikaD1Error(error: unknown, context: MikaD1ErrorContext): unknown {
  // The repositories' own errors (an unreadable row, bad input) already say what happened.
  if (error instanceof MikaMaintenanceError) return error;
  redactErrorSecrets(error);
  const detail = driverDetail(error);
  const name = JSON.stringify(context.database);
  const options = { cause: error };
  if (/no such table/i.test(detail) && detail.includes(context.tablePrefix)) {
    return new MikaD1Error(
      "MIKA_D1_NOT_MIGRATED",
      context.database,
      `The mika-maintenance tables are missing from D1 database ${name} (${detail}). Run ` +
        "migrate() once (a Worker can do it before its first run) before using the adapter.",
      options,
    );
  }
  if (/SQLITE_CONSTRAINT/.test(detail) && /UNIQUE|PRIMARY KEY/i.test(detail)) {
    return new MikaD1Error(
      "MIKA_D1_DUPLICATE_KEY",
      context.database,
      `A row with the same key already exists in D1 database ${name} (${detail}); use a new id or omit it to generate one.`,
      options,
    );
  }
  // The triggers of migration 0002 say which column and what it allows.
  const broken = /(\w+)\.(\w+) must be ([^:]+)/.exec(detail);
  if (/SQLITE_CONSTRAINT/.test(detail) && broken?.[1]?.startsWith(context.tablePrefix)) {
    return new MikaD1Error(
      "MIKA_D1_CONSTRAINT_VIOLATION",
      context.database,
      `Refused a write to D1 database ${name}: ${broken[1]}.${broken[2]} must be ${broken[3]?.trim()}. Nothing was changed.`,
      options,
    );
  }
  return new MikaD1Error(
    "MIKA_D1_QUERY_FAILED",
    context.database,
    `A query on D1 database ${name} failed: ${detail}. Nothing it would have written was kept.`,
    options,
  );
}
