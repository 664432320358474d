import { errorMessage } from "../errors.ts";
import type { MikaLeadershipLease, MikaLeadershipPort } from "../ports/leadership.ts";
import { raceWork } from "./abort.ts";
import type { MikaRuntimeReporter } from "./runtime-reporter.ts";
import type { MikaRuntimeScheduler } from "./scheduler.ts";

/** One stretch of leadership; `signal` aborts the moment this process stops leading. */
export interface MikaLeaderTerm {
  term: number;
  signal: AbortSignal;
}

/** Elects one leader among the replicas sharing a leadership row, and keeps or loses it. */
export interface MikaLeaderElector {
  /** Campaigns and renews until `stop` aborts; then ends the term (call `resign` next). */
  run(stop: AbortSignal): Promise<void>;
  /** Gives the lease up so another replica takes over at once. */
  resign(): Promise<void>;
  /** The current term, or `null` when following. */
  current(): MikaLeaderTerm | null;
  /** Resolves with the term once this process leads, or `null` once `stop` aborts. */
  waitForTerm(stop: AbortSignal): Promise<MikaLeaderTerm | null>;
}

/** Upper bound on a follower's retry interval. */
const FOLLOWER_POLL_MS = 2_000;

interface HeldTerm {
  lease: MikaLeadershipLease;
  controller: AbortController;
  /** When the last successful acquire or renew was sent: the lease runs until this + TTL. */
  sentAt: number;
}

/**
 * Creates the elector. Timing: the leader renews every `renewEveryMs` (measured from the last
 * renewal it sent) and gives each renewal `renewEveryMs / 2` to answer. A renewal that fails,
 * is refused or does not answer ends the term at once, at most 1.5 × `renewEveryMs` after the
 * last good renewal, which is at most 0.75 × the TTL: the lanes stop before the lease could
 * run out. A follower retries every `min(renewEveryMs, 2 s)` (so a resigned lease is taken
 * over at once) and never sleeps past the current lease's expiry, so it takes over within
 * one TTL of a dead leader's last renewal.
 */
export function createLeaderElector(options: {
  leadership: MikaLeadershipPort;
  name: string;
  holder: string;
  ttlMs: number;
  renewEveryMs: number;
  scheduler: MikaRuntimeScheduler;
  reporter: MikaRuntimeReporter;
}): MikaLeaderElector {
  const { leadership, name, holder, ttlMs, renewEveryMs, scheduler, reporter } = options;
  const answerWithinMs = Math.max(1, Math.floor(renewEveryMs / 2));
  const pollMs = Math.min(renewEveryMs, FOLLOWER_POLL_MS);
  let held: HeldTerm | null = null;
  /** The term to give up once the lanes have stopped. */
  let pendingResign: number | null = null;
  const waiters = new Set<() => void>();
  /** The lease this follower last reported waiting on, so it says so once per leader term. */
  let awaited: string | null = null;

  const iso = (ms: number) => new Date(ms).toISOString();

  function termOf(term: HeldTerm): MikaLeaderTerm {
    return { term: term.lease.term, signal: term.controller.signal };
  }

  function reportError(where: string, error: unknown): void {
    reporter.event({
      type: "runtime.error",
      instanceId: holder,
      where,
      error: errorMessage(error),
      at: iso(scheduler.now()),
    });
  }

  function take(lease: MikaLeadershipLease, sentAt: number): void {
    awaited = null;
    held = { lease, controller: new AbortController(), sentAt };
    reporter.event({
      type: "leadership.acquired",
      instanceId: holder,
      term: lease.term,
      at: iso(scheduler.now()),
    });
    for (const wake of [...waiters]) wake();
  }

  function end(reason: string | null): void {
    if (!held) return;
    const { lease, controller } = held;
    held = null;
    controller.abort(new Error(reason ?? "The runtime is shutting down."));
    if (reason !== null) {
      reporter.event({
        type: "leadership.lost",
        instanceId: holder,
        term: lease.term,
        reason,
        at: iso(scheduler.now()),
      });
    }
  }

  async function campaign(stop: AbortSignal): Promise<void> {
    const sentAt = scheduler.now();
    const acquiring = leadership.tryAcquireLeadership({ name, holder, now: iso(sentAt), ttlMs });
    const attempt = await raceWork(acquiring, answerWithinMs, scheduler, stop);
    if (attempt.kind === "done" && attempt.value) {
      take(attempt.value, sentAt);
      return;
    }
    if (attempt.kind === "stopped") {
      // The attempt may still land: give the lease back if it does.
      const late = await raceWork(acquiring, answerWithinMs, scheduler);
      if (late.kind === "done" && late.value) {
        await resignTerm(late.value.term);
      }
      return;
    }
    if (attempt.kind === "error") reportError("tryAcquireLeadership", attempt.error);
    if (attempt.kind === "timeout") {
      reportError("tryAcquireLeadership", new Error(`no answer within ${answerWithinMs} ms`));
    }
    let waitMs = pollMs;
    if (attempt.kind === "done") {
      // Someone else leads: wake when their lease runs out if that comes before the next poll.
      const current = await raceWork(
        leadership.getLeadership({ name }),
        answerWithinMs,
        scheduler,
        stop,
      );
      if (current.kind === "done" && current.value) {
        const lease = current.value;
        const key = `${lease.holder}#${lease.term}`;
        if (awaited !== key && lease.holder !== holder) {
          awaited = key;
          reporter.event({
            type: "leadership.waiting",
            instanceId: holder,
            leader: lease.holder,
            term: lease.term,
            expiresAt: lease.expiresAt,
            at: iso(scheduler.now()),
          });
        }
        const untilExpiry = Date.parse(current.value.expiresAt) - scheduler.now();
        waitMs = Math.min(pollMs, Math.max(1, untilExpiry));
      }
    }
    await scheduler.sleep(waitMs, stop);
  }

  async function renew(stop: AbortSignal, term: HeldTerm): Promise<void> {
    await scheduler.sleep(term.sentAt + renewEveryMs - scheduler.now(), stop);
    if (stop.aborted || held !== term) return;
    const sentAt = scheduler.now();
    const answer = await raceWork(
      leadership.renewLeadership({
        name,
        holder,
        term: term.lease.term,
        now: iso(sentAt),
        ttlMs,
      }),
      answerWithinMs,
      scheduler,
      stop,
    );
    if (answer.kind === "stopped") return;
    if (answer.kind === "done" && answer.value) {
      term.lease = answer.value;
      term.sentAt = sentAt;
      return;
    }
    const reason =
      answer.kind === "done"
        ? "The leadership lease was taken over or had expired when renewing it."
        : answer.kind === "error"
          ? `Renewing the leadership lease failed: ${errorMessage(answer.error)}`
          : `Renewing the leadership lease got no answer within ${answerWithinMs} ms.`;
    end(reason);
  }

  async function resignTerm(term: number): Promise<void> {
    const answer = await raceWork(
      leadership.resignLeadership({ name, holder, term, now: iso(scheduler.now()) }),
      answerWithinMs,
      scheduler,
    );
    if (answer.kind === "done") {
      if (answer.value) {
        reporter.event({
          type: "leadership.resigned",
          instanceId: holder,
          term,
          at: iso(scheduler.now()),
        });
      }
      return;
    }
    reportError(
      "resignLeadership",
      answer.kind === "error" ? answer.error : new Error(`no answer within ${answerWithinMs} ms`),
    );
  }

  return {
    current: () => (held ? termOf(held) : null),

    waitForTerm(stop) {
      if (stop.aborted) return Promise.resolve(null);
      if (held) return Promise.resolve(termOf(held));
      return new Promise((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          stop.removeEventListener("abort", wake);
          resolve(!stop.aborted && held ? termOf(held) : null);
        };
        waiters.add(wake);
        stop.addEventListener("abort", wake, { once: true });
      });
    },

    async run(stop) {
      while (!stop.aborted) {
        if (held) await renew(stop, held);
        else await campaign(stop);
      }
      // Lanes see their term end now; the lease itself is given up by `resign()`, after
      // the lanes have stopped.
      if (held) {
        const term = held;
        held = null;
        term.controller.abort(new Error("The runtime is shutting down."));
        pendingResign = term.lease.term;
      }
    },

    async resign() {
      if (pendingResign === null) return;
      const term = pendingResign;
      pendingResign = null;
      await resignTerm(term);
    },
  };
}
