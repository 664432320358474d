import { errorMessage } from "../errors.ts";
import type { MikaLaneState } from "../ports/runtime-state.ts";
import type { ISODateTime } from "../time.ts";
import { raceWork } from "./abort.ts";
import type { MikaPassContext } from "./run-lane-pass.ts";

/** The outcome of a compare-and-set claim on a lane's last start. */
export type MikaLaneClaim =
  | { kind: "claimed"; lastStartedAt: ISODateTime }
  | { kind: "taken" }
  | { kind: "error"; error: string };

/** Claims the next pass of `lane` if its last start is still `expected` (`null` = never ran). */
export async function claimLane(
  context: MikaPassContext,
  lane: string,
  expected: ISODateTime | null,
): Promise<MikaLaneClaim> {
  const outcome = await raceWork(
    context.runtimeState.claimLane({
      lane,
      expectedLastStartedAt: expected,
      holder: context.instanceId,
      now: new Date(context.scheduler.now()).toISOString(),
    }),
    context.storeTimeoutMs,
    context.scheduler,
  );
  if (outcome.kind === "done") {
    return outcome.value?.lastStartedAt
      ? { kind: "claimed", lastStartedAt: outcome.value.lastStartedAt }
      : { kind: "taken" };
  }
  return {
    kind: "error",
    error:
      outcome.kind === "error"
        ? errorMessage(outcome.error)
        : `claimLane got no answer within ${context.storeTimeoutMs} ms`,
  };
}

/** Every lane's scheduling state by lane, or the error that kept it from being read. */
export async function readLaneStates(
  context: MikaPassContext,
): Promise<{ states: Map<string, MikaLaneState> } | { error: string }> {
  const outcome = await raceWork(
    context.runtimeState.listLaneStates(),
    context.storeTimeoutMs,
    context.scheduler,
  );
  if (outcome.kind === "done") {
    return { states: new Map(outcome.value.map((state) => [state.lane, state])) };
  }
  return {
    error:
      outcome.kind === "error"
        ? errorMessage(outcome.error)
        : `listLaneStates got no answer within ${context.storeTimeoutMs} ms`,
  };
}
