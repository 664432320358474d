import { MikaMaintenanceError, MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import {
  describeRowsBreakingMigration,
  MikaSqliteInputError,
  type MikaSqliteRowViolation,
} from "@mika-maintenance/sqlite/contract";

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
  | "MIKA_LIBSQL_CONSTRAINT_VIOLATION"
  | "MIKA_LIBSQL_ROWS_BREAK_MIGRATION"
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

/** A stored row that breaks a rule a pending migration adds. */
export type MikaLibsqlRowViolation = MikaSqliteRowViolation;

/**
 * `migrate` found rows that break a rule the pending migration adds; nothing was changed.
 * `violations` lists them (at most the first 1000), naming table, row and column.
 */
export class MikaLibsqlRowsBreakMigrationError extends MikaLibsqlError {
  readonly migration: string;
  readonly violations: readonly MikaLibsqlRowViolation[];

  constructor(
    database: string,
    migration: string,
    violations: readonly MikaLibsqlRowViolation[],
    more: boolean,
  ) {
    super(
      "MIKA_LIBSQL_ROWS_BREAK_MIGRATION",
      database,
      describeRowsBreakingMigration(database, migration, violations, more),
    );
    this.name = "MikaLibsqlRowsBreakMigrationError";
    this.migration = migration;
    this.violations = violations;
  }
}

/** One invalid field of the adapter options, with its dotted path. */
export interface MikaLibsqlOptionsIssue {
  field: string;
  message: string;
}

/**
 * Invalid `createLibsqlRepositories()` options (a `MikaMaintenanceOptionsError`, code
 * `MIKA_INVALID_OPTIONS`); `field` names the first bad one, `issues` lists them all.
 */
export class MikaLibsqlOptionsError extends MikaMaintenanceOptionsError {
  readonly issues: readonly MikaLibsqlOptionsIssue[];

  constructor(issues: readonly MikaLibsqlOptionsIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.field}: ${issue.message}`);
    super(
      issues[0]?.field ?? "options",
      `Invalid createLibsqlRepositories() options:\n${lines.join("\n")}`,
    );
    this.name = "MikaLibsqlOptionsError";
    this.issues = issues;
  }
}

/**
 * A port method received a value the database would store wrongly; `field` names it. The
 * SQLite repositories the libSQL and D1 adapters share raise it (code `MIKA_INVALID_INPUT`).
 */
export const MikaLibsqlInputError = MikaSqliteInputError;
export type MikaLibsqlInputError = MikaSqliteInputError;
