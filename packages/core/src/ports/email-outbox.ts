import type { ISODateTime } from "../time.ts";
import type { MikaBacklogFigure, MikaMetadata } from "./common.ts";
import type { MikaRowRead } from "./unreadable-row.ts";

/** Where an outbox email is in its life. `sent` and `skipped` are final. */
export type MikaEmailStatus = "queued" | "sent" | "failed" | "skipped";

/** An email waiting in, or already through, the outbox. */
export interface MikaEmailOutboxRecord {
  id: string;
  status: MikaEmailStatus;
  /** Recipient address. */
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  /** The person the email is about, so an erasure can find it. */
  customerId: string | null;
  userId: string | null;
  /** Hash of the recipient address (host-defined), for erasure by email. */
  emailHash: string | null;
  /** Template data, personal links and the like. Cleared on erasure. */
  metadata: MikaMetadata;
  attemptCount: number;
  maxAttempts: number;
  nextAttemptAt: ISODateTime | null;
  leaseKey: string | null;
  leasedAt: ISODateTime | null;
  leaseExpiresAt: ISODateTime | null;
  lastError: string | null;
  sentAt: ISODateTime | null;
  providerMessageId: string | null;
  /** Why the email was skipped (prepare hook or erasure), when it was. */
  skipReason: string | null;
  /** When an erasure redacted this email; redacted rows are never matched again. */
  redactedAt: ISODateTime | null;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
}

/** What a host gives to queue an email. */
export interface MikaEnqueueEmailInput {
  id?: string;
  to: string;
  subject: string;
  text?: string | null;
  html?: string | null;
  customerId?: string | null;
  userId?: string | null;
  emailHash?: string | null;
  metadata?: MikaMetadata;
  /** Defaults to 5. */
  maxAttempts?: number;
  /** Do not send before this instant. */
  nextAttemptAt?: ISODateTime | null;
  now: ISODateTime;
}

/** The default number of delivery attempts before an email fails for good. */
export const MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS = 5;

/** What `listDueEmails` takes. */
export interface MikaListDueEmailsInput {
  now: ISODateTime;
  /** Maximum rows returned; callers pass `limit + 1` to learn `hasMore`. */
  limit: number;
}

/** What `tryLeaseEmail` takes: the email, the caller's lease key and when the lease expires. */
export interface MikaTryLeaseEmailInput {
  emailId: string;
  leaseKey: string;
  now: ISODateTime;
  leaseExpiresAt: ISODateTime;
}

/** What `extendEmailLease` takes: the holder's key and the lease's new end. */
export interface MikaExtendEmailLeaseInput {
  emailId: string;
  leaseKey: string;
  now: ISODateTime;
  leaseExpiresAt: ISODateTime;
}

/** What `claimDueEmails` leases in one statement. */
export interface MikaClaimDueEmailsInput {
  now: ISODateTime;
  /** At most this many emails are leased (a whole number >= 0). */
  limit: number;
  /**
   * The claim's key. Each claimed row gets its own lease key, `<leaseKey>:<emailId>`, so a
   * completion can only ever settle the row it was claimed for.
   */
  leaseKey: string;
  leaseExpiresAt: ISODateTime;
}

/** What one claim leased, and whether due emails were left behind. */
export interface MikaClaimedEmails {
  /**
   * The leased emails, oldest due first, each with its own `leaseKey`. A claimed row that
   * cannot be read stands in the list as a `MikaUnreadableRow` (the runner sets it aside).
   */
  emails: MikaRowRead<MikaEmailOutboxRecord>[];
  /** True when due emails remain that this claim did not take (rows other claimers hold are not counted). */
  hasMore: boolean;
}

/** How one leased email ended: what `completeEmails` records for it. */
export type MikaEmailCompletion =
  | { emailId: string; leaseKey: string; outcome: "sent"; providerMessageId?: string | null }
  | {
      emailId: string;
      leaseKey: string;
      outcome: "failed";
      error: string;
      /** When to try again; `null` for a terminal failure. */
      nextAttemptAt: ISODateTime | null;
    }
  | { emailId: string; leaseKey: string; outcome: "skipped"; reason: string }
  /** Claimed but never handed to the provider (the run stopped): lease cleared, attempt given back. */
  | { emailId: string; leaseKey: string; outcome: "released" };

/** A batch of completions recorded at one instant. */
export interface MikaCompleteEmailsInput {
  now: ISODateTime;
  completions: readonly MikaEmailCompletion[];
}

/** What `completeEmail` takes; it only succeeds while the caller still holds the lease. */
export interface MikaCompleteEmailInput {
  emailId: string;
  leaseKey: string;
  now: ISODateTime;
  providerMessageId?: string | null;
}

/** What `markEmailDelivered` takes: the provider accepted the message. */
export interface MikaMarkEmailDeliveredInput {
  emailId: string;
  now: ISODateTime;
  providerMessageId?: string | null;
}

/** What `failEmail` takes: the error and when to retry, under the caller's lease. */
export interface MikaFailEmailInput {
  emailId: string;
  leaseKey: string;
  now: ISODateTime;
  error: string;
  /** When to try again; `null` for a terminal failure. */
  nextAttemptAt: ISODateTime | null;
}

/** What `skipEmail` takes: why the email will not be sent, under the caller's lease. */
export interface MikaSkipEmailInput {
  emailId: string;
  leaseKey: string;
  now: ISODateTime;
  reason: string;
}

/** What `reclaimExhaustedEmails` takes. */
export interface MikaReclaimExhaustedInput {
  now: ISODateTime;
  limit: number;
  /** The `lastError` written on each reclaimed row. */
  error: string;
}

/** Outcome of one bounded reclaim pass (emails or workflows). */
export interface MikaReclaimResult {
  scanned: number;
  reclaimed: number;
  hasMore: boolean;
}

/** What a task records on a row it sets aside because the row cannot be read. */
export interface MikaSetAsideRowInput {
  now: ISODateTime;
  /** The message to record (see `setAsideMessage`); never carries the stored value. */
  error: string;
}

/** The identities an erasure matches rows by. Any may be null. */
export interface MikaErasureSubject {
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
}

/** The identities an erasure subject may carry; a request needs at least one of them. */
export const MIKA_ERASURE_SUBJECT_FIELDS = [
  "customerId",
  "userId",
  "emailHash",
] as const satisfies readonly (keyof MikaErasureSubject)[];

/** What `redactEmails` takes: the person whose emails lose their personal data. */
export interface MikaRedactEmailsInput extends MikaErasureSubject {
  now: ISODateTime;
}

/**
 * Outbox storage: what a storefront calls to queue mail, and what the outbox runner and the
 * stuck-email reclaim call to move it. Every state change is a compare-and-set; a call that
 * loses a race returns `null` and changes nothing.
 */
export interface MikaEmailOutboxPort {
  /** Queues an email (status `queued`, no attempts yet). */
  enqueueEmail(input: MikaEnqueueEmailInput): Promise<MikaEmailOutboxRecord>;
  getEmail(emailId: string): Promise<MikaEmailOutboxRecord | null>;
  /**
   * Due emails, oldest due first (`coalesce(nextAttemptAt, createdAt)`, then id): status
   * `queued` or `failed`, no live lease, `attemptCount < maxAttempts`, `nextAttemptAt` unset or
   * `<= now`. At most `limit` rows. Rows are read one by one: a row that cannot be read stands
   * in the list as a `MikaUnreadableRow` naming table, row and field, and the rest are returned.
   */
  listDueEmails(input: MikaListDueEmailsInput): Promise<MikaRowRead<MikaEmailOutboxRecord>[]>;
  /**
   * Sets aside an email whose row cannot be read, so no list picks it again: a `queued` or
   * `failed` email becomes `failed` with `lastError = error`, no next attempt, its attempts used
   * up (`attemptCount = max(attemptCount, maxAttempts)`) and no lease. Reads no other column, so
   * it works on the very row that cannot be read. `false` when it was not queued or failed.
   */
  setAsideUnreadableEmail(input: MikaSetAsideRowInput & { emailId: string }): Promise<boolean>;
  /**
   * Leases one due email: same conditions as `listDueEmails`, checked atomically. Sets status
   * `queued`, `leaseKey`, `leasedAt = now`, `leaseExpiresAt`, increments `attemptCount`, clears
   * `lastError`. `null` when the email is not due any more (another worker leased or sent it).
   */
  tryLeaseEmail(input: MikaTryLeaseEmailInput): Promise<MikaEmailOutboxRecord | null>;
  /**
   * Heartbeat: moves the lease's end to `leaseExpiresAt` while `leaseKey` still holds the email
   * and the lease has not run out at `now` (compare-and-set). `null` when the lease is lost
   * (reclaimed, completed, or taken by another worker), so a stale holder cannot extend it.
   */
  extendEmailLease(input: MikaExtendEmailLeaseInput): Promise<MikaEmailOutboxRecord | null>;
  /**
   * Leases up to `limit` due emails (the `listDueEmails` conditions, oldest due first) in one
   * statement, exactly as `tryLeaseEmail` leases one: status `queued`, `attemptCount + 1`,
   * `lastError` cleared, each row under its own key `<leaseKey>:<emailId>`. Rows another
   * claimer is taking at the same moment are skipped, never waited for, so concurrent claimers
   * get disjoint sets and no claim ever misses a lease.
   */
  claimDueEmails(input: MikaClaimDueEmailsInput): Promise<MikaClaimedEmails>;
  /**
   * Records many outcomes in one statement, each a compare-and-set on its row's lease key (as
   * `completeEmail`, `failEmail` and `skipEmail` do one by one; `released` clears the lease and
   * gives the attempt back). Returns one entry per completion, in order: the updated email, or
   * `null` when that row's lease was lost. A lost row never stops the others.
   */
  completeEmails(input: MikaCompleteEmailsInput): Promise<(MikaEmailOutboxRecord | null)[]>;
  /** Marks a leased email `sent` when `leaseKey` still holds it; clears the lease. */
  completeEmail(input: MikaCompleteEmailInput): Promise<MikaEmailOutboxRecord | null>;
  /**
   * Records that the provider accepted the email, without a lease check (the lease was lost
   * mid-send). Idempotent: an email already `sent` keeps its first `sentAt`. `null` only when the
   * email does not exist.
   */
  markEmailDelivered(input: MikaMarkEmailDeliveredInput): Promise<MikaEmailOutboxRecord | null>;
  /** Marks a leased email `failed` with `lastError` and `nextAttemptAt`; clears the lease. */
  failEmail(input: MikaFailEmailInput): Promise<MikaEmailOutboxRecord | null>;
  /** Marks a leased email `skipped` with `skipReason`; clears the lease. */
  skipEmail(input: MikaSkipEmailInput): Promise<MikaEmailOutboxRecord | null>;
  /**
   * Exhausted emails: `queued`, lease expired (`leaseExpiresAt <= now`), `attemptCount >=
   * maxAttempts`, `lastError` null. Marks up to `limit` of them `failed` with `error`, clears
   * the lease. Emails that carry a `lastError` are left alone.
   */
  reclaimExhaustedEmails(input: MikaReclaimExhaustedInput): Promise<MikaReclaimResult>;
  /**
   * Erasure: emails matching the subject (customer id, user id or email hash). Queued and
   * failed ones become `skipped`, lease cleared; sent ones stay `sent`. In every matched row the
   * recipient becomes `redacted-<emailId>@redacted.invalid`, subject and bodies are replaced,
   * metadata is cleared, a `lastError` becomes `[redacted]` (provider errors
   * often quote the address), `userId`/`emailHash` removed and `redactedAt` set. Returns the number of rows changed;
   * a second call returns 0.
   */
  redactEmailsForAccountDelete(input: MikaRedactEmailsInput): Promise<number>;
  /** Count and oldest due time of emails that `listDueEmails` would return. */
  describeEmailBacklog(input: { now: ISODateTime }): Promise<MikaBacklogFigure>;
}
