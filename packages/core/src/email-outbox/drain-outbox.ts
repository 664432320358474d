import type {
  MikaEmailCompletion,
  MikaEmailOutboxPort,
  MikaEmailOutboxRecord,
} from "../ports/email-outbox.ts";
import {
  isUnreadableRow,
  type MikaUnreadableRow,
  setAsideMessage,
} from "../ports/unreadable-row.ts";
import type { MikaRuntimeScheduler } from "../runtime/scheduler.ts";
import { addMilliseconds, type ISODateTime } from "../time.ts";
import {
  itemResultOf,
  type MikaSendDeps,
  type MikaSendOutcome,
  sendClaimedEmail,
} from "./send-claimed-email.ts";
import type { MikaSendPacer } from "./send-pacer.ts";
import type { MikaEmailOutboxItemResult, MikaEmailOutboxRunResult } from "./types.ts";

/** Everything one drain needs from its runner. */
export interface MikaDrainDeps extends MikaSendDeps {
  ops: MikaEmailOutboxPort;
  pacer: MikaSendPacer;
  scheduler: MikaRuntimeScheduler;
  createId: () => string;
  concurrency: number;
  leaseMs: number;
}

/** One run's bounds. */
export interface MikaDrainRun {
  now: ISODateTime;
  limit: number;
  signal: AbortSignal | undefined;
}

/**
 * Drains up to `limit` due emails with `concurrency` sends in flight. Claims lease a window of
 * three times the concurrency (at least 8) and are topped up once half of it (at least
 * `concurrency`) has drained, so a claim round trip is shared by many emails and overlaps
 * sends still to start; outcomes are recorded in batches of a quarter of the window (and
 * whenever nothing else is in flight). On abort: no claim starts, sends in flight finish and
 * are recorded, claimed emails not yet handed to the provider are released (lease cleared,
 * attempt given back).
 */
export async function drainOutbox(
  deps: MikaDrainDeps,
  run: MikaDrainRun,
): Promise<MikaEmailOutboxRunResult> {
  const { ops, concurrency } = deps;
  const window = Math.max(3 * concurrency, 8);
  // Refill while half a window (at least `concurrency`) is still claimed: the claim's round
  // trip then overlaps sends still to start, not only sends in flight.
  const refillAt = window - Math.max(concurrency, Math.ceil(window / 2));
  const flushAt = Math.max(1, Math.floor(window / 4));
  // A finished send's outcome is recorded within this long even when its batch is not full.
  const maxRecordDelayMs = Math.min(1_000, deps.leaseMs / 4);
  const leaseExpiresAt = addMilliseconds(run.now, deps.leaseMs);

  const items: (MikaEmailOutboxItemResult | undefined)[] = [];
  const queue: { index: number; email: MikaEmailOutboxRecord }[] = [];
  let pending: { index: number; outcome: MikaSendOutcome; at: number }[] = [];
  const released: MikaEmailCompletion[] = [];
  let inFlight = 0;
  let claiming = false;
  let flushing = false;
  let claimed = 0;
  // Keep claiming while the last claim took something and saw more behind it.
  let claimMore = true;
  let lastHasMore = true;
  let failure: { error: unknown } | null = null;
  let wake: () => void = () => undefined;
  const changed = () => wake();

  function stopped(): boolean {
    return failure !== null || run.signal?.aborted === true;
  }

  function claim(size: number): void {
    claiming = true;
    ops
      .claimDueEmails({ now: run.now, limit: size, leaseKey: deps.createId(), leaseExpiresAt })
      .then(
        (result) => {
          for (const email of result.emails) {
            if (isUnreadableRow(email)) setAside(claimed++, email);
            else queue.push({ index: claimed++, email });
          }
          lastHasMore = result.hasMore;
          claimMore = result.hasMore && result.emails.length > 0;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => {
        claiming = false;
        changed();
      });
  }

  /** A claimed row that cannot be read fails as one item and is set aside for good. */
  function setAside(index: number, row: MikaUnreadableRow): void {
    inFlight += 1;
    void (async () => {
      const error = setAsideMessage(row);
      const setAsideNow = await ops.setAsideUnreadableEmail({
        emailId: row.id,
        now: run.now,
        error,
      });
      items[index] = setAsideNow
        ? { emailId: row.id, status: "failed", error, terminal: true, nextAttemptAt: null }
        : { emailId: row.id, status: "lease_lost", error };
    })()
      .catch((caught: unknown) => {
        failure ??= { error: caught };
      })
      .finally(() => {
        inFlight -= 1;
        changed();
      });
  }

  function send(entry: { index: number; email: MikaEmailOutboxRecord }): void {
    inFlight += 1;
    void (async () => {
      const slot = await deps.pacer.nextSlot(run.signal);
      if (!slot) {
        released.push({
          emailId: entry.email.id,
          leaseKey: entry.email.leaseKey ?? "",
          outcome: "released",
        });
        return;
      }
      const outcome = await sendClaimedEmail(deps, entry.email, run.now);
      pending.push({ index: entry.index, outcome, at: deps.scheduler.now() });
    })().finally(() => {
      inFlight -= 1;
      changed();
    });
  }

  function flush(): void {
    const batch = pending;
    pending = [];
    const releases = released.splice(0);
    flushing = true;
    void (async () => {
      const stored = await ops.completeEmails({
        now: run.now,
        completions: [...batch.map((entry) => entry.outcome.completion), ...releases],
      });
      for (const [position, entry] of batch.entries()) {
        items[entry.index] = await itemResultOf(entry.outcome, stored[position] ?? null, (o) =>
          ops.markEmailDelivered({
            emailId: o.email.id,
            now: run.now,
            providerMessageId:
              o.completion.outcome === "sent" ? (o.completion.providerMessageId ?? null) : null,
          }),
        );
      }
    })()
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        flushing = false;
        changed();
      });
  }

  for (;;) {
    const next = new Promise<void>((resolve) => {
      wake = resolve;
    });
    if (stopped()) {
      for (const entry of queue.splice(0)) {
        released.push({
          emailId: entry.email.id,
          leaseKey: entry.email.leaseKey ?? "",
          outcome: "released",
        });
      }
    }
    const remaining = run.limit - claimed;
    if (
      !stopped() &&
      !claiming &&
      claimMore &&
      remaining > 0 &&
      queue.length + inFlight <= refillAt
    ) {
      claim(Math.min(window - queue.length - inFlight, remaining));
    }
    while (!stopped() && inFlight < concurrency && queue.length > 0) send(queue.shift()!);
    const idle = inFlight === 0 && queue.length === 0;
    const oldest = pending[0]?.at;
    if (
      !flushing &&
      (pending.length > 0 || released.length > 0) &&
      (pending.length >= flushAt ||
        idle ||
        (oldest !== undefined && deps.scheduler.now() - oldest >= maxRecordDelayMs))
    ) {
      flush();
    }
    const done =
      idle &&
      !claiming &&
      !flushing &&
      pending.length === 0 &&
      released.length === 0 &&
      (stopped() || !claimMore || run.limit - claimed <= 0);
    if (done) break;
    await next;
  }
  if (failure) throw failure.error;

  const results = items.filter((item): item is MikaEmailOutboxItemResult => item !== undefined);
  const result: MikaEmailOutboxRunResult = {
    scanned: results.length,
    leased: results.length,
    sent: 0,
    failed: 0,
    skipped: 0,
    leaseMissed: 0,
    leaseLost: 0,
    hasMore: results.length < claimed || lastHasMore,
    items: results,
  };
  for (const item of results) {
    if (item.status === "sent") result.sent += 1;
    else if (item.status === "failed") result.failed += 1;
    else if (item.status === "skipped") result.skipped += 1;
    else if (item.status === "lease_missed") result.leaseMissed += 1;
    else result.leaseLost += 1;
  }
  return result;
}
