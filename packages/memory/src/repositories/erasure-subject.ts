import type { MikaErasureSubject } from "@mika-maintenance/core";

interface SubjectColumns {
  customerId?: string | null;
  userId?: string | null;
  emailHash?: string | null;
}

/**
 * Erases every row of the subject that `pending` says still holds personal data (`erase`
 * changes it in place) and returns how many it changed, so a second call returns 0.
 */
export function eraseSubjectRows<T extends SubjectColumns>(
  rows: Iterable<T>,
  subject: MikaErasureSubject,
  pending: (row: T) => boolean,
  erase: (row: T) => void,
): number {
  let changed = 0;
  for (const row of rows) {
    if (!pending(row) || !matchesErasureSubject(row, subject)) continue;
    erase(row);
    changed += 1;
  }
  return changed;
}

/** True when the row belongs to the subject by any of its non-null identities. */
export function matchesErasureSubject(row: SubjectColumns, subject: MikaErasureSubject): boolean {
  const customerId = subject.customerId ?? null;
  const userId = subject.userId ?? null;
  const emailHash = subject.emailHash ?? null;
  return (
    (customerId !== null && row.customerId === customerId) ||
    (userId !== null && row.userId === userId) ||
    (emailHash !== null && row.emailHash === emailHash)
  );
}
