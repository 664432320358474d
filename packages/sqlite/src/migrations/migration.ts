/** One schema change shipped with the package, as SQL statements for a table prefix. */
export interface MikaSqliteMigration {
  /** Unique and sortable; recorded in `<prefix>migrations` once applied. */
  name: string;
  /**
   * Rules the existing rows must already meet for the migration to apply; `migrate` reports
   * every row that breaks one and changes nothing.
   */
  rowChecks?(prefix: string): readonly MikaSqliteRowCheck[];
  /** The statements, run in order inside the migration transaction. */
  up(prefix: string): readonly string[];
}

/** A rule on one column, and the query that finds the rows breaking it. */
export interface MikaSqliteRowCheck {
  table: string;
  column: string;
  /** What the column allows, as the report says it. */
  allowed: string;
  /** Selects `row_key` (the row's primary key) and `value` (SQL-quoted) of every bad row. */
  sql: string;
}
