import { raceWork } from "./abort.ts";
import type { MikaResolvedLane } from "./lane-defaults.ts";
import type { MikaLaneLoopDeps } from "./lane-loop.ts";
import { PAUSE_RECHECK_MS, readPausedLanes } from "./lane-pauses.ts";
import { runLanePass } from "./run-lane-pass.ts";

const FOREVER_MS = 2_147_483_647;

/**
 * One `every-replica` lane of `run()`: runs the lane's task every `intervalMs` (sooner after
 * `hasMore`) on this process, leader or not. The pass is not claimed in the store: the task
 * claims its own rows (`claimDueEmails` for the outbox), so replicas running it at once share
 * the work instead of repeating it. Stops like a leader lane: no new pass after `stop`, a pass
 * still in flight at `hardStop` is abandoned. A lane paused in the store starts no pass here either.
 */
export async function runWorkLaneLoop(
  deps: Pick<MikaLaneLoopDeps, "context" | "stop" | "hardStop" | "hasMoreDelay" | "onPass">,
  lane: MikaResolvedLane,
): Promise<void> {
  const { context, stop } = deps;
  const { scheduler } = context;
  let nextAt = scheduler.now();
  while (!stop.aborted) {
    await scheduler.sleep(nextAt - scheduler.now(), stop);
    if (stop.aborted) return;
    const pauses = await readPausedLanes(context);
    if ("paused" in pauses && pauses.paused.has(lane.lane)) {
      // Paused by an operator in the store: every replica holds off, not only the leader.
      nextAt = scheduler.now() + Math.min(lane.intervalMs, PAUSE_RECHECK_MS);
      continue;
    }
    const outcome = await runLanePass(context, lane, {
      trigger: "run",
      timeoutMs: lane.timeoutMs,
      signal: stop,
      hardStop: deps.hardStop,
    });
    deps.onPass();
    const { event } = outcome;
    if (event.status === "skipped") {
      // The dependency cannot appear without a restart.
      await scheduler.sleep(FOREVER_MS, stop);
      return;
    }
    if (event.status === "abandoned" && !stop.aborted) {
      await raceWork(outcome.settled, FOREVER_MS, scheduler, stop);
    }
    nextAt = event.hasMore
      ? scheduler.now() + deps.hasMoreDelay()
      : Math.max(Date.parse(event.startedAt) + lane.intervalMs, scheduler.now());
  }
}
