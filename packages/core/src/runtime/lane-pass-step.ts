import { raceWork } from "./abort.ts";
import type { MikaResolvedLane } from "./lane-defaults.ts";
import type { MikaLaneLoopDeps } from "./lane-loop.ts";
import { PAUSE_RECHECK_MS, readPausedLanes } from "./lane-pauses.ts";
import { runLanePass } from "./run-lane-pass.ts";

const FOREVER_MS = 2_147_483_647;

/** What one step of a lane loop needs from its runtime (leader lanes and work lanes alike). */
export type MikaLaneStepDeps = Pick<
  MikaLaneLoopDeps,
  "context" | "stop" | "hardStop" | "hasMoreDelay" | "onPass"
>;

/**
 * When a lane an operator paused (in the store, so on every replica) looks again, or `null`
 * when it is not paused. A lane whose pauses cannot be read is not treated as paused.
 */
export async function pausedLaneRecheckAt(
  deps: MikaLaneStepDeps,
  lane: MikaResolvedLane,
): Promise<number | null> {
  const pauses = await readPausedLanes(deps.context);
  if (!("paused" in pauses) || !pauses.paused.has(lane.lane)) return null;
  return deps.context.scheduler.now() + Math.min(lane.intervalMs, PAUSE_RECHECK_MS);
}

/**
 * Runs one pass of `lane` and says when the next is due: soon after `hasMore`, else one
 * interval after this pass started. An abandoned pass is waited for first, so a lane has at
 * most one pass in flight. `null` when the lane is done: its task was skipped, and the
 * dependency it lacks cannot appear without a restart, so it idles until `stop`.
 */
export async function runPassThenSchedule(
  deps: MikaLaneStepDeps,
  lane: MikaResolvedLane,
  signal: AbortSignal,
): Promise<number | null> {
  const { context, stop } = deps;
  const { scheduler } = context;
  const outcome = await runLanePass(context, lane, {
    trigger: "run",
    timeoutMs: lane.timeoutMs,
    signal,
    hardStop: deps.hardStop,
  });
  deps.onPass();
  const { event } = outcome;
  if (event.status === "skipped") {
    await scheduler.sleep(FOREVER_MS, stop);
    return null;
  }
  if (event.status === "abandoned" && !stop.aborted) {
    await raceWork(outcome.settled, FOREVER_MS, scheduler, stop);
  }
  return event.hasMore
    ? scheduler.now() + deps.hasMoreDelay()
    : Math.max(Date.parse(event.startedAt) + lane.intervalMs, scheduler.now());
}
