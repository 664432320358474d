import type { MikaLaneState } from "../ports/runtime-state.ts";
import type { ISODateTime } from "../time.ts";
import { linkedAbort } from "./abort.ts";
import { claimLane, readLaneStates } from "./claim-lane.ts";
import type { MikaResolvedLane } from "./lane-defaults.ts";
import { pausedLaneRecheckAt, runPassThenSchedule } from "./lane-pass-step.ts";
import type { MikaLeaderElector, MikaLeaderTerm } from "./leader-elector.ts";
import type { MikaPassContext } from "./run-lane-pass.ts";

/** What a lane loop shares with the rest of its runtime. */
export interface MikaLaneLoopDeps {
  context: MikaPassContext;
  elector: MikaLeaderElector;
  /** Graceful stop: no new passes; the pass in flight stops at its next batch boundary. */
  stop: AbortSignal;
  /** Hard stop after the shutdown grace: a pass still in flight is abandoned. */
  hardStop: AbortSignal;
  /** Lane states read once per term, shared by every lane of the term. */
  statesFor(term: MikaLeaderTerm): Promise<Map<string, MikaLaneState>>;
  /** The delay before a `hasMore` pass runs again, jittered. */
  hasMoreDelay(): number;
  onPass(): void;
}

/**
 * One lane of `run()`: while this process leads, runs the lane's task every `intervalMs`
 * (sooner after `hasMore`), each pass claimed in the store so a concurrent `tick()` never
 * duplicates it. A lane never waits for another lane; a pass that outlives its timeout holds
 * only its own lane. A lane an operator paused starts no pass until it is resumed. A lane whose task is skipped stays idle: its dependency cannot appear
 * without a restart.
 */
export async function runLaneLoop(deps: MikaLaneLoopDeps, lane: MikaResolvedLane): Promise<void> {
  const { context, elector, stop } = deps;
  const { scheduler } = context;
  const parse = (iso: ISODateTime) => Date.parse(iso);

  while (!stop.aborted) {
    const term = await elector.waitForTerm(stop);
    if (!term) return;
    const { controller: termStop, dispose } = linkedAbort(term.signal, stop);
    try {
      const states = await deps.statesFor(term);
      let known: ISODateTime | null = states.get(lane.lane)?.lastStartedAt ?? null;
      let nextAt = known
        ? Math.max(scheduler.now(), parse(known) + lane.intervalMs)
        : scheduler.now();

      while (!termStop.signal.aborted) {
        await scheduler.sleep(nextAt - scheduler.now(), termStop.signal);
        if (termStop.signal.aborted) break;

        const recheckAt = await pausedLaneRecheckAt(deps, lane);
        if (recheckAt !== null) {
          nextAt = recheckAt;
          continue;
        }

        const claim = await claimForPass(context, lane, known);
        if (claim.kind !== "claimed") {
          if (claim.kind === "taken") known = claim.lastStartedAt;
          nextAt = claim.retryAt;
          continue;
        }
        known = claim.lastStartedAt;

        const next = await runPassThenSchedule(deps, lane, termStop.signal);
        if (next === null) return;
        nextAt = next;
      }
    } finally {
      dispose();
    }
  }

  async function claimForPass(
    context: MikaPassContext,
    lane: MikaResolvedLane,
    known: ISODateTime | null,
  ): Promise<
    | { kind: "claimed"; lastStartedAt: ISODateTime }
    | { kind: "taken"; lastStartedAt: ISODateTime | null; retryAt: number }
    | { kind: "error"; retryAt: number }
  > {
    const first = await claimLane(context, lane.lane, known);
    if (first.kind === "claimed") return first;
    if (first.kind === "error") return failedClaim(first.error);
    // Another process (a tick, or the previous leader finishing up) moved the lane.
    const read = await readLaneStates(context);
    if ("error" in read) return failedClaim(read.error);
    const current = read.states.get(lane.lane)?.lastStartedAt ?? null;
    if (current && parse(current) + lane.intervalMs > scheduler.now()) {
      return { kind: "taken", lastStartedAt: current, retryAt: parse(current) + lane.intervalMs };
    }
    const second = await claimLane(context, lane.lane, current);
    if (second.kind === "claimed") return second;
    if (second.kind === "error") return failedClaim(second.error);
    return { kind: "taken", lastStartedAt: current, retryAt: scheduler.now() + lane.intervalMs };
  }

  function failedClaim(error: string): { kind: "error"; retryAt: number } {
    context.reporter.event({
      type: "runtime.error",
      instanceId: context.instanceId,
      where: `claimLane(${lane.lane})`,
      error,
      at: new Date(scheduler.now()).toISOString(),
    });
    return { kind: "error", retryAt: scheduler.now() + lane.intervalMs };
  }
}
