import type { ISODateTime } from "@mika-maintenance/core";
import { MikaMemoryConflictError } from "../errors.ts";
import { portInput } from "../input.ts";
import type { MemoryRows, MemoryState, MikaMemoryTableName } from "../schema/tables.ts";

/** A deep copy, so no caller can reach into the store through a value it passed or received. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** A deep copy of a row, or `null` when there is none. */
export function copyOrNull<T>(row: T | undefined): T | null {
  return row === undefined ? null : structuredClone(row);
}

/** Inserts `row` under `key`, failing like a primary-key constraint when the key is taken. */
export function insertRow<T>(table: Map<string, T>, tableName: string, key: string, row: T): T {
  if (table.has(key)) throw new MikaMemoryConflictError(tableName, key);
  table.set(key, row);
  return row;
}

/** The columns every insert stamps with its `now`. */
type Stamped = "createdAt" | "updatedAt";

/** The tables whose rows carry `createdAt` and `updatedAt`. */
type StampedTable = {
  [Name in MikaMemoryTableName]: MemoryRows[Name] extends Record<Stamped, ISODateTime>
    ? Name
    : never;
}[MikaMemoryTableName];

/**
 * What every `create…` method does around its own columns, as `insert … returning *` with
 * `now()` defaults: checks `now`, takes the given id or a fresh one, builds the row, stamps
 * `createdAt` and `updatedAt`, fails on a taken key, and hands back a copy.
 */
export function insertNew<Name extends StampedTable>(
  state: MemoryState,
  name: Name,
  input: { id?: string; now: unknown },
  build: (id: string, now: ISODateTime) => Omit<MemoryRows[Name], Stamped>,
): MemoryRows[Name] {
  const now = portInput.requireTime(input.now, "now");
  const id = state.idFor(input.id, "id");
  const table: Map<string, MemoryRows[Name]> = state.tables[name];
  const row = { ...build(id, now), createdAt: now, updatedAt: now } as MemoryRows[Name];
  return copy(insertRow(table, name, id, row));
}

/** A table's read by primary key, handing out a copy (`null` when there is none). */
export function readById<Row>(table: Map<string, Row>): (id: string) => Promise<Row | null> {
  return async (id) => copyOrNull(table.get(id));
}

type SortKey = string | number | null;

/** Sorts by the given keys, ascending; `null` sorts last, as in Postgres. */
export function sortRows<T>(rows: T[], keys: (row: T) => SortKey[]): T[] {
  return rows.sort((a, b) => compareKeys(keys(a), keys(b)));
}

function compareKeys(a: SortKey[], b: SortKey[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index] ?? null;
    const right = b[index] ?? null;
    if (left === right) continue;
    if (left === null) return 1;
    if (right === null) return -1;
    return left < right ? -1 : 1;
  }
  return 0;
}

/** The first `limit` rows, and whether more matched (callers select rows in order first). */
export function takeBatch<T>(rows: T[], limit: number): { batch: T[]; hasMore: boolean } {
  return { batch: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Count and oldest reference time of a backlog. */
export function backlogFigure(times: string[]): { count: number; oldestAt: string | null } {
  let oldestAt: string | null = null;
  for (const time of times) if (oldestAt === null || time < oldestAt) oldestAt = time;
  return { count: times.length, oldestAt };
}
