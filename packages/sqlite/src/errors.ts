import { MikaMaintenanceInputError } from "@mika-maintenance/core";

/** A stored row that breaks a rule a pending migration adds. */
export interface MikaSqliteRowViolation {
  table: string;
  /** The row's primary key. */
  rowKey: string;
  column: string;
  /** The stored value, SQL-quoted (`'abc'`, `-5`, `NULL`). */
  value: string;
  /** What the column allows. */
  allowed: string;
}

/**
 * A port method of a SQLite adapter (libSQL, D1) received a value the database would store
 * wrongly; `field` names it. Code `MIKA_INVALID_INPUT`, as in every adapter.
 */
export class MikaSqliteInputError extends MikaMaintenanceInputError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = "MikaSqliteInputError";
  }
}
