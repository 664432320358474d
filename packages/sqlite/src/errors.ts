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

/**
 * The message of a migration refused because stored rows break its rules: the first 20 rows
 * by table, row and column, and how many more there are. Every SQLite adapter's error says it.
 */
export function describeRowsBreakingMigration(
  database: string,
  migration: string,
  violations: readonly MikaSqliteRowViolation[],
  more: boolean,
): string {
  const shown = violations
    .slice(0, 20)
    .map(
      (row) =>
        `  - ${row.table} row ${JSON.stringify(row.rowKey)}: ${row.column} = ${row.value} ` +
        `(must be ${row.allowed})`,
    );
  const rest = violations.length - shown.length;
  return (
    `Migration ${migration} of ${JSON.stringify(database)} was not applied: ` +
    `${violations.length}${more ? "+" : ""} stored row(s) break the rules it adds, and ` +
    "mika-maintenance will not guess the right values. Nothing was changed. Fix or delete " +
    `these rows, then run migrate again:\n${shown.join("\n")}` +
    (rest > 0 || more ? `\n  … and ${rest}${more ? "+" : ""} more` : "")
  );
}
