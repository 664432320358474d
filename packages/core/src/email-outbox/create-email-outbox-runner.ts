import { MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import type { MikaEmailOutboxPort, MikaEmailOutboxRecord } from "../ports/email-outbox.ts";
import { MIKA_MAX_LIMIT } from "../runner/limit-bounds.ts";
import { resolveNow } from "../runner/resolve-now.ts";
import { createSystemScheduler, type MikaRuntimeScheduler } from "../runtime/scheduler.ts";
import type { MikaClock } from "../time.ts";
import { wholeNumberInRange } from "../validation/option-keys.ts";
import { drainOutbox } from "./drain-outbox.ts";
import {
  checkEmailOutboxRunnerInput,
  checkEmailOutboxRunOptions,
  clampRetryDelay,
  MIKA_MAX_EMAIL_LEASE_MS,
} from "./outbox-runner-options.ts";
import { defaultEmailRetryDelay } from "./retry-delay.ts";
import { createSendPacer } from "./send-pacer.ts";
import type {
  MikaEmailOutboxRunner,
  MikaEmailOutboxRunOptions,
  MikaEmailOutboxRunResult,
  MikaEmailSender,
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
  /**
   * Sends in flight at once. Default 8. Claims lease about three times this many emails at a
   * time and are topped up as sends finish.
   */
  concurrency?: number;
  /**
   * Caps how many sends this runner starts per second (providers rate-limit). Per process:
   * with N replicas draining one provider account, give each `providerLimit / N`.
   */
  maxPerSecond?: number;
  /** Time and timers the rate cap paces sends on. Default: the `now` clock and real timers. */
  scheduler?: MikaRuntimeScheduler;
  /** Builds the message from the stored email, or returns `{ skip: reason }`. */
  prepare?: (email: MikaEmailOutboxRecord) => MikaPreparedEmail | Promise<MikaPreparedEmail>;
}

const DEFAULT_BATCH_SIZE = 25;
const DEFAULT_LEASE_MS = 300_000;
const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 1_000;

/**
 * Creates the outbox drainer: claims due emails in batches, sends up to `concurrency` at once
 * (optionally capped at `maxPerSecond`), and records the outcomes in batches.
 */
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
  const concurrency = wholeNumberInRange(
    "concurrency",
    input.concurrency ?? DEFAULT_CONCURRENCY,
    1,
    MAX_CONCURRENCY,
  );
  const maxPerSecond =
    input.maxPerSecond === undefined ? undefined : requireRate(input.maxPerSecond);
  const scheduler = input.scheduler ?? createSystemScheduler(input.now);
  const deps = {
    ops,
    sender: input.sender,
    prepare,
    // A host's delay is clamped so it can always be stored as a time.
    retryDelay: ((delayInput) =>
      clampRetryDelay(
        retryDelay(delayInput),
        defaultEmailRetryDelay(delayInput),
      )) as MikaRetryDelay,
    pacer: createSendPacer(maxPerSecond, scheduler),
    scheduler,
    createId,
    concurrency,
    leaseMs,
  };

  return {
    outbox: ops,
    async runOnce(given?: MikaEmailOutboxRunOptions): Promise<MikaEmailOutboxRunResult> {
      const options = checkEmailOutboxRunOptions(given);
      const now = resolveNow(options.now, input.now);
      const limit = options.limit ?? batchSize;
      if (limit === 0) {
        // A probe: nothing is claimed, but the caller learns whether anything is due.
        const due = await ops.listDueEmails({ now, limit: 1 });
        return { ...emptyOutboxRunResult(), hasMore: due.length > 0 };
      }
      if (options.signal?.aborted) return { ...emptyOutboxRunResult(), hasMore: true };
      return drainOutbox(deps, { now, limit, signal: options.signal });
    },
  };
}

/** The result of an outbox run that found nothing to do. */
export function emptyOutboxRunResult(): MikaEmailOutboxRunResult {
  return {
    scanned: 0,
    leased: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    leaseMissed: 0,
    leaseLost: 0,
    hasMore: false,
    items: [],
  };
}

function requireRate(value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new MikaMaintenanceOptionsError(
      "maxPerSecond",
      `maxPerSecond must be a positive number of sends per second, got ${String(value)}.`,
    );
  }
  return value;
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
