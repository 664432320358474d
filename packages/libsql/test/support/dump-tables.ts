import type { Client } from "@libsql/client";
import { MIKA_LIBSQL_DEFAULT_TABLE_PREFIX } from "../../src/index.ts";

/**
 * Every row of every mika table, read straight from SQLite (the conformance suite's backdoor
 * reader): plain objects keyed by column name, values as stored (times are integers). Tables
 * come from sqlite_master and columns from `pragma table_info`, never from a list in code, so
 * a column added by a later migration is dumped, and PII-scanned, without editing a test.
 */
export async function dumpTables(
  client: Client,
  prefix = MIKA_LIBSQL_DEFAULT_TABLE_PREFIX,
): Promise<Record<string, Record<string, unknown>[]>> {
  const tables = await client.execute({
    sql: "select name from sqlite_master where type = 'table' and name like ? escape '\\' order by name",
    args: [`${prefix.replaceAll("_", "\\_")}%`],
  });
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const { name } of tables.rows) {
    const info = await client.execute(`pragma table_info("${String(name)}")`);
    const columns = info.rows.map((column) => String(column.name));
    const list = columns.map((column) => `"${column}"`).join(", ");
    const result = await client.execute(`select ${list} from "${String(name)}"`);
    dump[String(name)] = result.rows.map((row) =>
      Object.fromEntries(columns.map((column) => [column, row[column]])),
    );
  }
  return dump;
}
