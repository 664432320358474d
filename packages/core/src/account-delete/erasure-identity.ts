import type { MikaAccountDeleteRequestRecord } from "../ports/account-delete-requests.ts";

/**
 * The sentinel that replaces a person's identifiers in rows kept for the ledger: by customer
 * when known, else by email hash, else by user.
 */
export function accountDeleteSentinel(request: MikaAccountDeleteRequestRecord): string {
  if (request.customerId) return `account-deleted:${request.customerId}`;
  if (request.emailHash) return `account-deleted-email:${request.emailHash}`;
  return `account-deleted-user:${request.userId ?? request.id}`;
}

/** Every subject hash a token of this person may carry. */
export function accountDeleteTokenSubjects(request: MikaAccountDeleteRequestRecord): string[] {
  const subjects: string[] = [];
  if (request.customerId) subjects.push(request.customerId, `customer:${request.customerId}`);
  if (request.userId) subjects.push(`user:${request.userId}`);
  if (request.emailHash) subjects.push(request.emailHash, `email:${request.emailHash}`);
  return subjects;
}
