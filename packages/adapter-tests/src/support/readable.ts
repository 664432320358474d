import { isUnreadableRow, type MikaRowRead } from "@mika-maintenance/core";

/** The records of a maintenance list, failing the test if any row came back unreadable. */
export function readableRecords<T extends object>(entries: readonly MikaRowRead<T>[]): T[] {
  return entries.map((entry) => {
    if (isUnreadableRow(entry)) {
      throw new Error(`Row ${entry.id} came back unreadable: ${JSON.stringify(entry.unreadable)}`);
    }
    return entry;
  });
}
