import { errorMessage } from "../errors.ts";
import type { MikaEmailCompletion, MikaEmailOutboxRecord } from "../ports/email-outbox.ts";
import { addMilliseconds, type ISODateTime } from "../time.ts";
import type {
  MikaEmailOutboxItemResult,
  MikaEmailSender,
  MikaPreparedEmail,
  MikaRetryDelay,
} from "./types.ts";

/** What sending one claimed email needs. */
export interface MikaSendDeps {
  sender: MikaEmailSender;
  prepare: (email: MikaEmailOutboxRecord) => MikaPreparedEmail | Promise<MikaPreparedEmail>;
  retryDelay: MikaRetryDelay;
}

/** One send's outcome, waiting to be recorded, plus what its item result will say. */
export interface MikaSendOutcome {
  email: MikaEmailOutboxRecord;
  completion: MikaEmailCompletion;
  /** The provider accepted the message (a lost lease is then recovered, not lost). */
  accepted: boolean;
}

/**
 * Prepares and sends one claimed email (idempotency key = email id) and turns what happened
 * into the completion to record; a throwing `prepare` or sender becomes a `failed` completion
 * with the retry time, terminal when no attempts are left.
 */
export async function sendClaimedEmail(
  deps: MikaSendDeps,
  email: MikaEmailOutboxRecord,
  now: ISODateTime,
): Promise<MikaSendOutcome> {
  const leaseKey = email.leaseKey ?? "";
  try {
    const prepared = await deps.prepare(email);
    if ("skip" in prepared) {
      return {
        email,
        accepted: false,
        completion: { emailId: email.id, leaseKey, outcome: "skipped", reason: prepared.skip },
      };
    }
    const receipt = await deps.sender({ ...prepared, emailId: email.id, idempotencyKey: email.id });
    return {
      email,
      accepted: true,
      completion: {
        emailId: email.id,
        leaseKey,
        outcome: "sent",
        providerMessageId: receipt?.providerMessageId ?? null,
      },
    };
  } catch (error) {
    const terminal = email.attemptCount >= email.maxAttempts;
    const nextAttemptAt = terminal
      ? null
      : addMilliseconds(
          now,
          Math.max(0, deps.retryDelay({ attemptCount: email.attemptCount, email, error })),
        );
    return {
      email,
      accepted: false,
      completion: {
        emailId: email.id,
        leaseKey,
        outcome: "failed",
        error: errorMessage(error),
        nextAttemptAt,
      },
    };
  }
}

/**
 * The item result of a recorded outcome: `stored` is the row `completeEmails` returned, or
 * `null` when the lease was lost, in which case an accepted send is recovered through
 * `recoverDelivered` (no lease check) and anything else is `lease_lost`.
 */
export async function itemResultOf(
  outcome: MikaSendOutcome,
  stored: MikaEmailOutboxRecord | null,
  recoverDelivered: (outcome: MikaSendOutcome) => Promise<MikaEmailOutboxRecord | null>,
): Promise<MikaEmailOutboxItemResult> {
  const { completion, email } = outcome;
  const emailId = email.id;
  if (completion.outcome === "sent") {
    const providerMessageId = completion.providerMessageId ?? null;
    if (stored)
      return { emailId, status: "sent", attemptCount: stored.attemptCount, providerMessageId };
    const delivered = await recoverDelivered(outcome);
    return delivered
      ? {
          emailId,
          status: "sent",
          attemptCount: delivered.attemptCount,
          providerMessageId,
          recoveredLeaseLost: true,
        }
      : { emailId, status: "lease_lost" };
  }
  if (completion.outcome === "failed") {
    if (!stored) return { emailId, status: "lease_lost", error: completion.error };
    return {
      emailId,
      status: "failed",
      attemptCount: stored.attemptCount,
      error: completion.error,
      terminal: completion.nextAttemptAt === null,
      nextAttemptAt: completion.nextAttemptAt,
    };
  }
  if (completion.outcome === "skipped") {
    return stored
      ? { emailId, status: "skipped", reason: completion.reason }
      : { emailId, status: "lease_lost" };
  }
  return { emailId, status: "lease_lost" };
}
