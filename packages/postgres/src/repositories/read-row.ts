import type { MikaRowProblem, MikaRowRead } from "@mika-maintenance/core";

/** A further check of a stored row: the column and what is wrong, or `null` when fine. */
export type StoredRowCheck = (
  row: Record<string, unknown>,
) => Pick<MikaRowProblem, "field" | "problem"> | null;

const BAD_TIME =
  "is not a time inside the JavaScript date range (infinity, or a year beyond 275760)";

/**
 * One row as pg returned it, turned into a record on its own: the record, or an unreadable row
 * naming table, row id and column. pg already parsed each value (jsonb to JSON values,
 * timestamptz to `Date`, `±infinity` to `±Infinity`), so a value JavaScript cannot hold shows
 * up here, column by column. The problem never quotes the stored value.
 */
export function readStoredRow<S extends { id: string }, R>(
  table: string,
  row: S,
  toRecord: (row: S) => R,
  check?: StoredRowCheck,
): MikaRowRead<R> {
  const values = row as unknown as Record<string, unknown>;
  for (const [column, value] of Object.entries(values)) {
    if (isUnusableTime(value)) return unreadable(table, row.id, column, BAD_TIME);
  }
  const problem = check?.(values);
  if (problem) return unreadable(table, row.id, problem.field, problem.problem);
  try {
    return toRecord(row);
  } catch {
    return unreadable(table, row.id, "row", "cannot be turned into a record");
  }
}

/** A check that a `jsonb` column holds an object (or SQL null when `nullable`). */
export function jsonObjectColumn(column: string, nullable = false): StoredRowCheck {
  return (row) => {
    const value = row[column];
    if (value === null && nullable) return null;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? null
      : { field: column, problem: "is JSON but not an object" };
  };
}

function isUnusableTime(value: unknown): boolean {
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return typeof value === "number" && !Number.isFinite(value);
}

function unreadable(table: string, id: string, field: string, problem: string) {
  return { id, unreadable: { table, field, problem } };
}
