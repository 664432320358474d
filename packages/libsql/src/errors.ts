import { MikaMaintenanceError } from "@mika-maintenance/core";

/** Stable codes of the database problems the libSQL adapter reports. */
export type MikaLibsqlErrorCode =
  | "MIKA_LIBSQL_DATABASE_CORRUPT"
  | "MIKA_LIBSQL_DATABASE_READONLY"
  | "MIKA_LIBSQL_DATABASE_UNREADABLE"
  | "MIKA_LIBSQL_DATABASE_IO_ERROR"
  | "MIKA_LIBSQL_DATABASE_BUSY"
  | "MIKA_LIBSQL_NOT_MIGRATED"
  | "MIKA_LIBSQL_SCHEMA_TOO_NEW"
  | "MIKA_LIBSQL_DUPLICATE_KEY"
  | "MIKA_LIBSQL_CLOSED";

/**
 * A database the adapter cannot use as asked: corrupt, read-only, unreadable, locked, not
 * migrated. `database` names the file (or URL) so the operator knows which one to fix.
 */
export class MikaLibsqlError extends MikaMaintenanceError {
  declare readonly code: MikaLibsqlErrorCode;
  /** The database file path, `:memory:`, or the remote URL without credentials. */
  readonly database: string;

  constructor(
    code: MikaLibsqlErrorCode,
    database: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "MikaLibsqlError";
    this.database = database;
  }
}

/** One invalid field of the adapter options, with its dotted path. */
export interface MikaLibsqlOptionsIssue {
  field: string;
  message: string;
}

/** Invalid `createLibsqlRepositories()` options; `field` names the first bad one. */
export class MikaLibsqlOptionsError extends MikaMaintenanceError {
  readonly field: string;
  readonly issues: readonly MikaLibsqlOptionsIssue[];

  constructor(issues: readonly MikaLibsqlOptionsIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.field}: ${issue.message}`);
    super(
      "MIKA_LIBSQL_INVALID_OPTIONS",
      `Invalid createLibsqlRepositories() options:\n${lines.join("\n")}`,
    );
    this.name = "MikaLibsqlOptionsError";
    this.issues = issues;
    this.field = issues[0]?.field ?? "options";
  }
}

/** A port method received a value the database would store wrongly; `field` names it. */
export class MikaLibsqlInputError extends MikaMaintenanceError {
  readonly field: string;

  constructor(field: string, message: string) {
    super("MIKA_LIBSQL_INVALID_INPUT", message);
    this.name = "MikaLibsqlInputError";
    this.field = field;
  }
}
