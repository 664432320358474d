import type { MikaRowRead } from "@mika-maintenance/core";

/** Which fields of a memory row must hold what, for `readRow`. */
export interface RowShape {
  /** Fields that must hold an instant (a string `Date.parse` reads); `null` allowed if listed in `nullable`. */
  times?: readonly string[];
  /** Fields that must hold a plain object (JSON columns of the SQL adapters). */
  objects?: readonly string[];
  nullable?: readonly string[];
  /** Extra checks: a field name and what is wrong, or `null` when the row is fine. */
  check?: (row: Record<string, unknown>) => { field: string; problem: string } | null;
}

/**
 * A memory row as a record, or as an unreadable row naming table, row and field. Rows written
 * through the ports always pass; a value placed by other means (a test's raw write, a host
 * poking the tables) is caught here instead of failing a whole list.
 */
export function readRow<T extends { id: string }>(
  table: string,
  row: T,
  shape: RowShape,
): MikaRowRead<T> {
  const fields = row as unknown as Record<string, unknown>;
  const nullable = new Set(shape.nullable ?? []);
  for (const field of shape.times ?? []) {
    const value = fields[field];
    if (value === null && nullable.has(field)) continue;
    if (typeof value !== "string" || !Number.isFinite(Date.parse(value))) {
      return unreadable(table, row.id, field, "is not an instant inside the JavaScript date range");
    }
  }
  for (const field of shape.objects ?? []) {
    const value = fields[field];
    if (value === null && nullable.has(field)) continue;
    if (!isPlainObject(value)) {
      return unreadable(table, row.id, field, "is not a JSON object");
    }
  }
  const problem = shape.check?.(fields);
  if (problem) return unreadable(table, row.id, problem.field, problem.problem);
  return row;
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unreadable(table: string, id: string, field: string, problem: string) {
  return { id, unreadable: { table, field, problem } };
}
