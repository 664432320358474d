import { errorMessage, MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import type { MikaEmailOutboxPort, MikaEmailOutboxRecord } from "../ports/email-outbox.ts";
import {
  isUnreadableRow,
  type MikaUnreadableRow,
  setAsideMessage,
} from "../ports/unreadable-row.ts";
import { resolveNow } from "../runner/resolve-now.ts";
import { MIKA_MAX_LIMIT } from "../runner/run-options.ts";
import { addMilliseconds, type ISODateTime, type MikaClock } from "../time.ts";
import { wholeNumberInRange } from "../validation/option-keys.ts";
import {
  checkEmailOutboxRunnerInput,
  checkEmailOutboxRunOptions,
  clampRetryDelay,
  MIKA_MAX_EMAIL_LEASE_MS,
} from "./outbox-runner-options.ts";
import { defaultEmailRetryDelay } from "./retry-delay.ts";
import type {
  MikaEmailOutboxItemResult,
  MikaEmailOutboxRunner,
  MikaEmailOutboxRunOptions,
  MikaEmailOutboxRunResult,
  MikaEmailSender,
  MikaOutgoingEmail,
  MikaPreparedEmail,
  MikaRetryDelay,
} from "./types.ts";

/** Inputs of `createMikaEmailOutboxRunner`. */
export interface MikaEmailOutboxRunnerInput {
  repositories: { ops: MikaEmailOutboxPort };
  sender: MikaEmailSender;
  now?: MikaClock;
  createId?: () => string;
  /** Emails per run when the run gives no `limit`. Default 25. */
  batchSize?: number;
  /** How long a lease lasts. Default 5 minutes: longer than any provider call should take. */
  leaseMs?: number;
  retryDelayMs?: MikaRetryDelay;
  /** Builds the message from the stored email, or returns `{ skip: reason }`. */
  prepare?: (email: MikaEmailOutboxRecord) => MikaPreparedEmail | Promise<MikaPreparedEmail>;
}

const DEFAULT_BATCH_SIZE = 25;
const DEFAULT_LEASE_MS = 300_000;

/** Creates the outbox drainer: lists due emails, leases each, sends, and records the outcome. */
export function createMikaEmailOutboxRunner(
  input: MikaEmailOutboxRunnerInput,
): MikaEmailOutboxRunner {
  checkEmailOutboxRunnerInput(input);
  const ops = input.repositories?.ops;
  if (!ops) {
    throw new MikaMaintenanceOptionsError(
      "repositories.ops",
      "createMikaEmailOutboxRunner needs repositories.ops (the outbox storage port).",
    );
  }
  if (typeof input.sender !== "function") {
    throw new MikaMaintenanceOptionsError(
      "sender",
      "createMikaEmailOutboxRunner needs sender: a function that delivers one message.",
    );
  }
  const batchSize = wholeNumberInRange(
    "batchSize",
    input.batchSize ?? DEFAULT_BATCH_SIZE,
    1,
    MIKA_MAX_LIMIT,
  );
  const leaseMs = wholeNumberInRange(
    "leaseMs",
    input.leaseMs ?? DEFAULT_LEASE_MS,
    1,
    MIKA_MAX_EMAIL_LEASE_MS,
  );
  const createId = input.createId ?? createRandomId;
  const retryDelay = input.retryDelayMs ?? defaultEmailRetryDelay;
  const prepare = input.prepare ?? defaultPrepare;

  async function deliver(
    email: MikaEmailOutboxRecord,
    now: ISODateTime,
  ): Promise<MikaEmailOutboxItemResult> {
    const leaseKey = createId();
    const leased = await ops.tryLeaseEmail({
      emailId: email.id,
      leaseKey,
      now,
      leaseExpiresAt: addMilliseconds(now, leaseMs),
    });
    if (!leased) return { emailId: email.id, status: "lease_missed" };

    let accepted = false;
    let providerMessageId: string | null = null;
    try {
      const prepared = await prepare(leased);
      if ("skip" in prepared) {
        const skipped = await ops.skipEmail({
          emailId: leased.id,
          leaseKey,
          now,
          reason: prepared.skip,
        });
        return skipped
          ? { emailId: leased.id, status: "skipped", reason: prepared.skip }
          : { emailId: leased.id, status: "lease_lost" };
      }
      const message: MikaOutgoingEmail = {
        ...prepared,
        emailId: leased.id,
        idempotencyKey: leased.id,
      };
      const receipt = await input.sender(message);
      accepted = true;
      providerMessageId = receipt?.providerMessageId ?? null;
    } catch (error) {
      return recordFailure(leased, leaseKey, now, error);
    }

    const completed = await ops.completeEmail({
      emailId: leased.id,
      leaseKey,
      now,
      providerMessageId,
    });
    if (completed) {
      return {
        emailId: leased.id,
        status: "sent",
        attemptCount: completed.attemptCount,
        providerMessageId,
      };
    }
    if (accepted) {
      const delivered = await ops.markEmailDelivered({
        emailId: leased.id,
        now,
        providerMessageId,
      });
      if (delivered) {
        return {
          emailId: leased.id,
          status: "sent",
          attemptCount: delivered.attemptCount,
          providerMessageId,
          recoveredLeaseLost: true,
        };
      }
    }
    return { emailId: leased.id, status: "lease_lost" };
  }

  /** An email row that cannot be read fails as one item and is set aside for good. */
  async function setAside(
    row: MikaUnreadableRow,
    now: ISODateTime,
  ): Promise<MikaEmailOutboxItemResult> {
    const error = setAsideMessage(row);
    const setAsideNow = await ops.setAsideUnreadableEmail({ emailId: row.id, now, error });
    // Another runner set it aside first: nothing was leased here.
    if (!setAsideNow) return { emailId: row.id, status: "lease_missed" };
    return { emailId: row.id, status: "failed", error, terminal: true, nextAttemptAt: null };
  }

  async function recordFailure(
    leased: MikaEmailOutboxRecord,
    leaseKey: string,
    now: ISODateTime,
    error: unknown,
  ): Promise<MikaEmailOutboxItemResult> {
    const message = errorMessage(error);
    const terminal = leased.attemptCount >= leased.maxAttempts;
    const nextAttemptAt = terminal
      ? null
      : addMilliseconds(
          now,
          clampRetryDelay(
            retryDelay({ attemptCount: leased.attemptCount, email: leased, error }),
            defaultEmailRetryDelay({ attemptCount: leased.attemptCount, email: leased, error }),
          ),
        );
    const failed = await ops.failEmail({
      emailId: leased.id,
      leaseKey,
      now,
      error: message,
      nextAttemptAt,
    });
    if (!failed) return { emailId: leased.id, status: "lease_lost", error: message };
    return {
      emailId: leased.id,
      status: "failed",
      attemptCount: failed.attemptCount,
      error: message,
      terminal,
      nextAttemptAt,
    };
  }

  return {
    async runOnce(given?: MikaEmailOutboxRunOptions): Promise<MikaEmailOutboxRunResult> {
      const options = checkEmailOutboxRunOptions(given);
      const now = resolveNow(options.now, input.now);
      const limit = options.limit ?? batchSize;
      const due = await ops.listDueEmails({ now, limit: limit + 1 });
      const batch = due.slice(0, limit);
      const result: MikaEmailOutboxRunResult = {
        scanned: batch.length,
        leased: 0,
        sent: 0,
        failed: 0,
        skipped: 0,
        leaseMissed: 0,
        leaseLost: 0,
        hasMore: due.length > limit,
        items: [],
      };
      for (const email of batch) {
        if (options.signal?.aborted) {
          result.hasMore = true;
          break;
        }
        const item = isUnreadableRow(email)
          ? await setAside(email, now)
          : await deliver(email, now);
        result.items.push(item);
        if (item.status !== "lease_missed") result.leased += 1;
        if (item.status === "sent") result.sent += 1;
        else if (item.status === "failed") result.failed += 1;
        else if (item.status === "skipped") result.skipped += 1;
        else if (item.status === "lease_missed") result.leaseMissed += 1;
        else result.leaseLost += 1;
      }
      return result;
    },
  };
}

function defaultPrepare(email: MikaEmailOutboxRecord): MikaPreparedEmail {
  return {
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    metadata: email.metadata,
  };
}
