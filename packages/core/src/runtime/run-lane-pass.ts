import { errorMessage } from "../errors.ts";
import type { MikaLaneRunStatus, MikaRuntimeStatePort } from "../ports/runtime-state.ts";
import type { MikaHostTasks, MikaMaintenanceRunner } from "../runner/create-maintenance-runner.ts";
import { countersOf } from "../runner/summarize.ts";
import { linkedAbort, raceWork } from "./abort.ts";
import type { MikaResolvedLane } from "./lane-defaults.ts";
import type { MikaPassTrigger, MikaRuntimePassEvent } from "./runtime-events.ts";
import type { MikaRuntimeReporter } from "./runtime-reporter.ts";
import type { MikaRuntimeScheduler } from "./scheduler.ts";

/** What one pass needs from its runtime. */
export interface MikaPassContext {
  runner: MikaMaintenanceRunner<MikaHostTasks>;
  runtimeState: MikaRuntimeStatePort;
  scheduler: MikaRuntimeScheduler;
  reporter: MikaRuntimeReporter;
  instanceId: string;
  createId: () => string;
  /** Bound on the runtime's own store calls (recording the run). */
  storeTimeoutMs: number;
}

/** A finished pass, plus a promise that settles when the task's own work has settled. */
export interface MikaPassOutcome {
  event: MikaRuntimePassEvent;
  /** For an abandoned pass this settles later than the pass was reported. */
  settled: Promise<void>;
}

/**
 * Runs one pass of `lane`: the task gets `signal` (it stops at its next batch boundary when it
 * aborts); a pass that outlives `timeoutMs`, or is still running when `hardStop` aborts, is
 * recorded `abandoned` without waiting for it. The run is recorded and reported either way.
 */
export async function runLanePass(
  context: MikaPassContext,
  lane: MikaResolvedLane,
  options: {
    trigger: MikaPassTrigger;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    hardStop?: AbortSignal | undefined;
  },
): Promise<MikaPassOutcome> {
  const { scheduler } = context;
  const { controller, dispose } = linkedAbort(options.signal);
  const startedMs = scheduler.now();
  const startedAt = new Date(startedMs).toISOString();
  let work: ReturnType<MikaMaintenanceRunner<MikaHostTasks>["runTask"]>;
  try {
    work = context.runner.runTask(lane.lane, { now: startedAt, signal: controller.signal });
  } catch (error) {
    work = Promise.reject(error);
  }
  const outcome = await raceWork(work, options.timeoutMs, scheduler, options.hardStop);

  let status: MikaLaneRunStatus;
  let counters: Record<string, number | boolean> = {};
  let hasMore = false;
  let error: string | undefined;
  let reason: string | undefined;
  if (outcome.kind === "done") {
    const result = outcome.value;
    status = result.status;
    if (result.status === "completed") {
      counters = countersOf(result.result);
      hasMore = counters.hasMore === true;
    } else if (result.status === "failed") {
      error = result.error;
    } else {
      reason = result.reason;
    }
  } else if (outcome.kind === "error") {
    status = "failed";
    error = errorMessage(outcome.error);
  } else {
    status = "abandoned";
    error =
      outcome.kind === "timeout"
        ? `The pass did not finish within ${options.timeoutMs} ms and was abandoned; the task was told to stop at its next batch boundary.`
        : "The runtime stopped before the pass reached a batch boundary; the pass was abandoned.";
    controller.abort(new Error(error));
  }

  const finishedMs = scheduler.now();
  const event: MikaRuntimePassEvent = {
    lane: lane.lane,
    instanceId: context.instanceId,
    trigger: options.trigger,
    status,
    startedAt,
    finishedAt: new Date(finishedMs).toISOString(),
    durationMs: Math.max(0, finishedMs - startedMs),
    counters,
    hasMore,
  };
  if (error !== undefined) event.error = error;
  if (reason !== undefined) event.reason = reason;

  const recorded = await raceWork(
    context.runtimeState.recordLaneRun({
      id: context.createId(),
      lane: lane.lane,
      instanceId: context.instanceId,
      startedAt: event.startedAt,
      finishedAt: event.finishedAt,
      durationMs: event.durationMs,
      status,
      counters,
      // A skipped run has no error; its reason is what an operator needs to read.
      error: error ?? reason ?? null,
    }),
    context.storeTimeoutMs,
    scheduler,
  );
  if (recorded.kind !== "done") {
    context.reporter.event({
      type: "runtime.error",
      instanceId: context.instanceId,
      where: `recordLaneRun(${lane.lane})`,
      error:
        recorded.kind === "error"
          ? errorMessage(recorded.error)
          : `no answer within ${context.storeTimeoutMs} ms`,
      at: new Date(scheduler.now()).toISOString(),
    });
  }
  context.reporter.pass(event);

  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  void settled.finally(dispose);
  return { event, settled };
}
