import type { MikaMetadata } from "../ports/common.ts";
import type { MikaEmailOutboxRecord } from "../ports/email-outbox.ts";
import type { ISODateTime } from "../time.ts";

/** The message handed to the email provider. */
export interface MikaOutgoingEmail {
  emailId: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  /** Always the email id: a provider that deduplicates on it never sends twice. */
  idempotencyKey: string;
  metadata: MikaMetadata;
}

/** What `prepare` may return: the message to send, or why to skip it. */
export type MikaPreparedEmail =
  | Omit<MikaOutgoingEmail, "emailId" | "idempotencyKey">
  | { skip: string };

/** Delivers one message; resolves when the provider accepted it, throws when it did not. */
export type MikaEmailSender = (message: MikaOutgoingEmail) => Promise<MikaSendReceipt>;

/** What a sender may resolve with; a sender that resolves with nothing is fine too. */
// biome-ignore lint/suspicious/noConfusingVoidType: hosts' senders are typed `Promise<void>`.
export type MikaSendReceipt = { providerMessageId?: string | null } | undefined | void;

/** One email's outcome in an outbox run. */
export interface MikaEmailOutboxItemResult {
  emailId: string;
  status: "sent" | "failed" | "skipped" | "lease_missed" | "lease_lost";
  attemptCount?: number;
  providerMessageId?: string | null;
  /** The lease was lost mid-send, but the provider had accepted the email. */
  recoveredLeaseLost?: boolean;
  error?: string;
  /** No attempts are left: the email will not be retried. */
  terminal?: boolean;
  nextAttemptAt?: ISODateTime | null;
  reason?: string;
}

/** Counters and items of one outbox run. */
export interface MikaEmailOutboxRunResult {
  scanned: number;
  leased: number;
  sent: number;
  failed: number;
  skipped: number;
  leaseMissed: number;
  leaseLost: number;
  hasMore: boolean;
  items: MikaEmailOutboxItemResult[];
}

/** Computes the retry delay after a failed attempt. */
export type MikaRetryDelay = (input: {
  attemptCount: number;
  email: MikaEmailOutboxRecord;
  error: unknown;
}) => number;

/** Options of one outbox run. */
export interface MikaEmailOutboxRunOptions {
  now?: ISODateTime | Date;
  limit?: number;
  signal?: AbortSignal;
}

/** Something that drains the outbox; the maintenance runner's `emailOutbox` task calls it. */
export interface MikaEmailOutboxRunner {
  runOnce(options?: MikaEmailOutboxRunOptions): Promise<MikaEmailOutboxRunResult>;
  /**
   * The outbox port it claims from, when it says: a store serving that port may tell the
   * maintenance runner that nothing is due, and the run is skipped (see `MikaStorePort`).
   */
  readonly outbox?: object;
}
