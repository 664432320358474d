import {
  type MemoryTables,
  MIKA_MEMORY_TABLE_NAMES,
  type MikaMemoryTableName,
} from "../schema/tables.ts";
import { copy } from "./rows.ts";

/** Every stored row of every table, deep-copied, keyed by table name. */
export type MikaMemoryTableDump = Record<MikaMemoryTableName, Record<string, unknown>[]>;

/** Reads every row as stored, for tests that check what was really written. */
export function dumpTables(tables: MemoryTables): MikaMemoryTableDump {
  const dump = {} as MikaMemoryTableDump;
  for (const name of MIKA_MEMORY_TABLE_NAMES) {
    const rows: Map<string, object> = tables[name];
    dump[name] = [...rows.values()].map((row) => copy(row) as Record<string, unknown>);
  }
  return dump;
}
