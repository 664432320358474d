import type { MikaErasureSubject } from "@mika-maintenance/core";

interface SubjectColumns {
  customerId?: string | null;
  userId?: string | null;
  emailHash?: string | null;
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
