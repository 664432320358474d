import type { MikaTableDump } from "../types.ts";
import { findInDump } from "./pii-scan.ts";

/**
 * The dump without the rows that mention any of `ids` anywhere, for "nothing else changed"
 * assertions that must ignore the rows a test expects to change.
 */
export function dumpWithoutRowsMentioning(
  dump: MikaTableDump,
  ids: readonly string[],
): MikaTableDump {
  const result: MikaTableDump = {};
  for (const [table, rows] of Object.entries(dump)) {
    result[table] = rows.filter((row) => findInDump({ [table]: [row] }, ids).length === 0);
  }
  return result;
}

/** Total number of rows across all tables. */
export function rowCount(dump: MikaTableDump): number {
  return Object.values(dump).reduce((total, rows) => total + rows.length, 0);
}
