import type { MikaRowProblem, MikaRowRead } from "@mika-maintenance/core";
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** A further check of a decoded record: the field and what is wrong, or `null` when fine. */
export type RecordCheck<R> = (record: R) => Pick<MikaRowProblem, "field" | "problem"> | null;

/** The largest millisecond value a JavaScript `Date` holds. */
const MAX_TIME_MS = 8_640_000_000_000_000;

type StoredSelection<T extends SQLiteTable> = { [K in keyof T["_"]["columns"]]: SQL<unknown> };

/**
 * Every column of `table` selected as stored, without drizzle's decoding, so that one bad value
 * can be reported for its own row instead of failing the whole statement. Use it with
 * `select(...)` and `returning(...)`, then `readStoredRow`.
 *
 * An INTEGER column holding a REAL beyond any time (±infinity, 1e300) comes back as its text:
 * Hrana (remote libSQL) sends values as JSON, which has no infinity, so such a value would
 * fail the whole statement on the wire instead of its one row in `readStoredRow`.
 */
export function storedColumns<T extends SQLiteTable>(table: T): StoredSelection<T> {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      column.getSQLType() === "integer"
        ? sql`case when typeof(${column}) = 'real' and abs(${column}) > ${MAX_TIME_MS} then cast(${column} as text) else ${column} end`
        : sql`${column}`,
    ]),
  ) as StoredSelection<T>;
}

/**
 * Decodes one row selected with `storedColumns`, column by column: the record, or an
 * unreadable row naming table, row id and column. The problem never quotes the stored value,
 * which may hold personal data.
 */
export function readStoredRow<T extends SQLiteTable>(
  table: T,
  stored: Record<string, unknown>,
  check?: RecordCheck<T["$inferSelect"]>,
): MikaRowRead<T["$inferSelect"]> {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const record: Record<string, unknown> = {};
  const id = String(stored.id);
  for (const [key, column] of Object.entries(columns)) {
    const value = stored[key];
    if (value === null || value === undefined) {
      record[key] = null;
      continue;
    }
    try {
      record[key] = column.mapFromDriverValue(value);
    } catch {
      return unreadable(table, id, column.name, problemOf(column));
    }
  }
  const problem = check?.(record as T["$inferSelect"]);
  if (problem) return unreadable(table, id, problem.field, problem.problem);
  return record as T["$inferSelect"];
}

/** A check that a JSON column holds an object (metadata, payloads). */
export function objectColumn<R>(key: keyof R & string, column: string): RecordCheck<R> {
  return (record) => {
    const value = (record as Record<string, unknown>)[key];
    if (value === null) return null;
    return typeof value === "object" && !Array.isArray(value)
      ? null
      : { field: column, problem: "is JSON but not an object" };
  };
}

function problemOf(column: SQLiteColumn): string {
  return column.getSQLType() === "integer"
    ? "is not a time in milliseconds since the epoch within the JavaScript date range"
    : "is not valid JSON";
}

function unreadable(table: SQLiteTable, id: string, field: string, problem: string) {
  return { id, unreadable: { table: getTableName(table), field, problem } };
}
