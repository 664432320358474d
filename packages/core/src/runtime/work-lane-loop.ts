import type { MikaResolvedLane } from "./lane-defaults.ts";
import {
  type MikaLaneStepDeps,
  pausedLaneRecheckAt,
  runPassThenSchedule,
} from "./lane-pass-step.ts";

/**
 * One `every-replica` lane of `run()`: runs the lane's task every `intervalMs` (sooner after
 * `hasMore`) on this process, leader or not. The pass is not claimed in the store: the task
 * claims its own rows (`claimDueEmails` for the outbox), so replicas running it at once share
 * the work instead of repeating it. Stops like a leader lane: no new pass after `stop`, a pass
 * still in flight at `hardStop` is abandoned. A lane paused in the store starts no pass here either.
 */
export async function runWorkLaneLoop(
  deps: MikaLaneStepDeps,
  lane: MikaResolvedLane,
): Promise<void> {
  const { context, stop } = deps;
  const { scheduler } = context;
  let nextAt = scheduler.now();
  while (!stop.aborted) {
    await scheduler.sleep(nextAt - scheduler.now(), stop);
    if (stop.aborted) return;
    const recheckAt = await pausedLaneRecheckAt(deps, lane);
    if (recheckAt !== null) {
      nextAt = recheckAt;
      continue;
    }
    const next = await runPassThenSchedule(deps, lane, stop);
    if (next === null) return;
    nextAt = next;
  }
}
