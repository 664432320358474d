import { MIKA_SQLITE_DEFAULT_TABLE_PREFIX } from "../constants.ts";

/**
 * Runs one raw statement with positional `?` arguments, through the test's own connection:
 * the rows it selected and how many rows it changed.
 */
export type MikaSqliteRawExecute = (
  sql: string,
  args?: readonly unknown[],
) => Promise<{ rows: readonly Record<string, unknown>[]; changes: number }>;

/** SQL for each kind: SQLite stores any of them in the adapter's TEXT and INTEGER columns. */
const MALFORMED_VALUES = {
  invalidJson: `'{"unclosed": '`,
  jsonNotObject: `'"a JSON string"'`,
  // One millisecond past the largest instant a JavaScript Date can hold.
  timeBeyondRange: "8640000000000001",
  // SQLite reads an overflowing literal as an infinite REAL.
  infiniteTime: "-9e999",
} as const;

/** Where one backdoor write goes: table, column and the row's key column. */
export interface MikaSqliteMalformedTarget {
  table: string;
  column: string;
  key: string;
}

/** A backdoor write as `@mika-maintenance/adapter-tests` asks for it (the parts used here). */
export interface MikaSqliteMalformedWrite {
  rowId: string;
  kind: keyof typeof MALFORMED_VALUES;
}

/**
 * The conformance suite's backdoor into a SQLite store, over any driver: `dumpTables` reads
 * every row of every table as stored, `writeMalformedValue` stores a value the ports never
 * would. Tables come from sqlite_master and columns from `pragma table_info`, never from a
 * list in code, so a column added by a later migration is dumped, and PII-scanned, too.
 */
export function createSqliteBackdoor<Write extends MikaSqliteMalformedWrite>(
  execute: MikaSqliteRawExecute,
  /** `malformedWriteTarget` of `@mika-maintenance/adapter-tests`, which knows the suite's tables. */
  targetOf: (write: Write, prefix: string) => MikaSqliteMalformedTarget,
  prefix = MIKA_SQLITE_DEFAULT_TABLE_PREFIX,
) {
  return {
    async dumpTables(): Promise<Record<string, Record<string, unknown>[]>> {
      const tables = await execute(
        "select name from sqlite_master where type = 'table' and name like ? escape '\\' order by name",
        [`${prefix.replaceAll("_", "\\_")}%`],
      );
      const dump: Record<string, Record<string, unknown>[]> = {};
      for (const { name } of tables.rows) {
        const info = await execute(`pragma table_info("${String(name)}")`);
        const columns = info.rows.map((column) => String(column.name));
        const list = columns.map((column) => `"${column}"`).join(", ");
        const result = await execute(`select ${list} from "${String(name)}"`);
        dump[String(name)] = result.rows.map((row) =>
          Object.fromEntries(columns.map((column) => [column, row[column]])),
        );
      }
      return dump;
    },

    async writeMalformedValue(write: Write): Promise<{ table: string; column: string }> {
      const { table, column, key } = targetOf(write, prefix);
      const result = await execute(
        `update "${table}" set "${column}" = ${MALFORMED_VALUES[write.kind]} where "${key}" = ?`,
        [write.rowId],
      );
      if (result.changes !== 1) throw new Error(`No row ${write.rowId} in ${table}.`);
      return { table, column };
    },
  };
}
