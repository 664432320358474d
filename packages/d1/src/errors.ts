import { MikaMaintenanceError, MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import {
  describeRowsBreakingMigration,
  type MikaSqliteRowViolation,
} from "@mika-maintenance/sqlite/contract";

/** Stable codes of the database problems the D1 adapter reports. */
export type MikaD1ErrorCode =
  | "MIKA_D1_NOT_MIGRATED"
  | "MIKA_D1_SCHEMA_TOO_NEW"
  | "MIKA_D1_DUPLICATE_KEY"
  | "MIKA_D1_CONSTRAINT_VIOLATION"
  | "MIKA_D1_ROWS_BREAK_MIGRATION"
  | "MIKA_D1_QUERY_FAILED"
  | "MIKA_D1_CLOSED";

/**
 * A D1 database the adapter cannot use as asked: not migrated, migrated by a newer version, a
 * refused write, a failed query. `database` names the binding; the message carries D1's own
 * words (the cause) in one line, and `cause` keeps the driver's error.
 */
export class MikaD1Error extends MikaMaintenanceError {
  declare readonly code: MikaD1ErrorCode;
  /** The database as the options named it (`name`), or `D1 binding`. */
  readonly database: string;

  constructor(
    code: MikaD1ErrorCode,
    database: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "MikaD1Error";
    this.database = database;
  }
}

/**
 * `migrate` found rows that break a rule the pending migration adds; nothing was changed.
 * `violations` lists them (at most the first 1000), naming table, row and column.
 */
export class MikaD1RowsBreakMigrationError extends MikaD1Error {
  readonly migration: string;
  readonly violations: readonly MikaSqliteRowViolation[];

  constructor(
    database: string,
    migration: string,
    violations: readonly MikaSqliteRowViolation[],
    more: boolean,
  ) {
    super(
      "MIKA_D1_ROWS_BREAK_MIGRATION",
      database,
      describeRowsBreakingMigration(database, migration, violations, more),
    );
    this.name = "MikaD1RowsBreakMigrationError";
    this.migration = migration;
    this.violations = violations;
  }
}

/** Invalid `createD1Repositories()` options (code `MIKA_INVALID_OPTIONS`); `field` names it. */
export class MikaD1OptionsError extends MikaMaintenanceOptionsError {
  constructor(field: string, message: string) {
    super(field, `Invalid createD1Repositories() options: ${field} ${message}`);
    this.name = "MikaD1OptionsError";
  }
}
