import { MikaMaintenanceOptionsError } from "../errors.ts";
import { claimLane, readLaneStates } from "./claim-lane.ts";
import type { MikaResolvedLane } from "./lane-defaults.ts";
import { type MikaPassContext, runLanePass } from "./run-lane-pass.ts";
import type { MikaRuntimePassEvent } from "./runtime-events.ts";

/** What `runLaneNow()` did: the pass it ran, or why it ran none. */
export type MikaRunLaneNowResult =
  | { outcome: "ran"; pass: MikaRuntimePassEvent }
  | { outcome: "claimed_elsewhere" | "disabled" | "error"; error?: string };

/**
 * Runs one pass of `laneName` now, whatever its schedule (and even while it is paused: an
 * operator asked for it). The pass is claimed by compare-and-set like any other, so it never
 * overlaps a pass another process just started; it is recorded with trigger `manual`.
 */
export async function runLaneNow(
  context: MikaPassContext,
  lanes: readonly MikaResolvedLane[],
  laneName: string,
  signal?: AbortSignal,
): Promise<MikaRunLaneNowResult> {
  const lane = lanes.find((candidate) => candidate.lane === laneName);
  if (!lane) {
    throw new MikaMaintenanceOptionsError(
      "lane",
      `lane must be one of ${lanes.map((candidate) => candidate.lane).join(", ")}; got ${JSON.stringify(laneName)}.`,
    );
  }
  if (!lane.enabled) return { outcome: "disabled", error: `${lane.lane} is disabled.` };
  const read = await readLaneStates(context);
  if ("error" in read) return { outcome: "error", error: read.error };
  const claim = await claimLane(
    context,
    lane.lane,
    read.states.get(lane.lane)?.lastStartedAt ?? null,
  );
  if (claim.kind === "error") return { outcome: "error", error: claim.error };
  if (claim.kind === "taken") {
    return {
      outcome: "claimed_elsewhere",
      error: `Another process started ${lane.lane} a moment ago; its pass is the one running now.`,
    };
  }
  const { event } = await runLanePass(context, lane, {
    trigger: "manual",
    timeoutMs: lane.timeoutMs,
    signal,
    hardStop: signal,
  });
  return { outcome: "ran", pass: event };
}
