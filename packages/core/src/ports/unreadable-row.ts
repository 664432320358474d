import { MikaMaintenanceError } from "../errors.ts";

/** Why one stored row could not be read: which table, which field, and what is wrong. */
export interface MikaRowProblem {
  /** The table as the adapter names it, e.g. `mika_email_outbox`. */
  table: string;
  /** The stored column (or JSON member) that could not be read, e.g. `created_at`. */
  field: string;
  /** What is wrong with it; never the stored value, which may hold personal data. */
  problem: string;
}

/**
 * A row a maintenance list found but could not turn into a record. It stands in the list where
 * the record would be, so one bad row fails one item and every other row still moves.
 */
export interface MikaUnreadableRow {
  /** The row's primary key. */
  id: string;
  unreadable: MikaRowProblem;
}

/** What a maintenance list returns per row: the record, or why the row could not be read. */
export type MikaRowRead<T> = T | MikaUnreadableRow;

/** True for a list entry that stands for an unreadable row. */
export function isUnreadableRow(entry: object): entry is MikaUnreadableRow {
  return "unreadable" in entry && typeof (entry as { unreadable: unknown }).unreadable === "object";
}

/** Names table, row and field of an unreadable row; never quotes the stored value. */
export function describeUnreadableRow(row: MikaUnreadableRow): string {
  const { table, field, problem } = row.unreadable;
  return `Row ${row.id} of ${table} cannot be read: ${field} ${problem}.`;
}

/** The error a task records on a row it set aside because the row could not be read. */
export function setAsideMessage(row: MikaUnreadableRow): string {
  return `${describeUnreadableRow(row)} It was set aside and will not be picked again; repair the stored value, then queue the work again.`;
}

/** Thrown by a single-row read (`getEmail`, …) when the stored row cannot be read. */
export class MikaUnreadableRowError extends MikaMaintenanceError {
  readonly table: string;
  readonly rowId: string;
  readonly field: string;

  constructor(row: MikaUnreadableRow) {
    super("MIKA_UNREADABLE_ROW", describeUnreadableRow(row));
    this.name = "MikaUnreadableRowError";
    this.table = row.unreadable.table;
    this.rowId = row.id;
    this.field = row.unreadable.field;
  }
}

/** The record, or a `MikaUnreadableRowError` for an unreadable row (single-row reads). */
export function recordOrThrow<T extends object>(entry: MikaRowRead<T>): T {
  if (isUnreadableRow(entry)) throw new MikaUnreadableRowError(entry);
  return entry;
}
