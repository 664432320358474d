import type { ISODateTime, MikaAnonymizeInput, MikaErasureSubject } from "@mika-maintenance/core";
import { portInput } from "../input.ts";

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

/** A new row's subject columns: each identity the input gives, else `null`. */
export function subjectColumns(input: Partial<MikaErasureSubject>): MikaErasureSubject {
  return {
    customerId: input.customerId ?? null,
    userId: input.userId ?? null,
    emailHash: input.emailHash ?? null,
  };
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

/** A row an anonymization keeps for the books: its identities give way to the sentinel. */
interface AnonymizableRow extends SubjectColumns {
  userId: string | null;
  emailHash: string | null;
  anonymizedAt: ISODateTime | null;
  updatedAt: ISODateTime;
}

/**
 * Anonymizes every not yet anonymized row of the subject: `userId` and `emailHash` become the
 * sentinel, `anonymizedAt` and `updatedAt` become `now`, and `forget` drops whatever else of
 * the person the row holds. Returns how many rows changed.
 */
export function anonymizeSubjectRows<T extends AnonymizableRow>(
  rows: Iterable<T>,
  input: MikaAnonymizeInput,
  forget: (row: T) => void = () => {},
): number {
  const now = portInput.requireTime(input.now, "now");
  const sentinel = portInput.requireText(input.sentinel, "sentinel");
  return eraseSubjectRows(
    rows,
    input,
    (row) => row.anonymizedAt === null,
    (row) => {
      forget(row);
      row.emailHash = sentinel;
      row.userId = sentinel;
      row.anonymizedAt = now;
      row.updatedAt = now;
    },
  );
}
