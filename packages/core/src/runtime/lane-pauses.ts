import { errorMessage } from "../errors.ts";
import { raceWork } from "./abort.ts";
import type { MikaPassContext } from "./run-lane-pass.ts";

/** How often a paused lane looks again whether it was resumed, at most. */
export const PAUSE_RECHECK_MS = 5_000;

/**
 * The lanes an operator paused, or the error that kept them from being read. A lane whose
 * pause cannot be read is not treated as paused: the claim that follows fails the same way.
 */
export async function readPausedLanes(
  context: MikaPassContext,
): Promise<{ paused: Set<string> } | { error: string }> {
  const outcome = await raceWork(
    context.runtimeState.listLanePauses(),
    context.storeTimeoutMs,
    context.scheduler,
  );
  if (outcome.kind === "done") return { paused: new Set(outcome.value.map((p) => p.lane)) };
  return {
    error:
      outcome.kind === "error"
        ? errorMessage(outcome.error)
        : `listLanePauses got no answer within ${context.storeTimeoutMs} ms`,
  };
}
