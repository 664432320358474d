import { MikaMaintenanceError, MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import type { MikaLeadershipPort } from "../ports/leadership.ts";
import type { MikaLaneState, MikaRuntimeStatePort } from "../ports/runtime-state.ts";
import { createMikaMaintenanceRunner } from "../runner/create-maintenance-runner.ts";
import { resolveRunLimits } from "../runner/run-options.ts";
import { MIKA_RUNNER_INPUT_KEYS, type MikaMaintenanceRunnerInput } from "../runner/runner-input.ts";
import {
  type MikaOptionKeyTable,
  rejectUnknownOptions,
  requireOptionsObject,
} from "../validation/option-keys.ts";
import { linkedAbort, raceWork, whenAborted } from "./abort.ts";
import { readLaneStates } from "./claim-lane.ts";
import { createConsoleLogger } from "./console-logger.ts";
import { createHeartbeat } from "./heartbeat.ts";
import { MIKA_RUNTIME_DEFAULTS, type MikaResolvedLane } from "./lane-defaults.ts";
import { runLaneLoop } from "./lane-loop.ts";
import { createLeaderElector, type MikaLeaderTerm } from "./leader-elector.ts";
import {
  nonEmptyString,
  resolveBudget,
  resolveLanes,
  resolveRuntimeSettings,
} from "./resolve-runtime-options.ts";
import { type MikaRunLaneNowResult, runLaneNow } from "./run-lane-now.ts";
import type { MikaPassContext } from "./run-lane-pass.ts";
import { MIKA_RUNTIME_INPUT_KEYS, type MikaMaintenanceRuntimeInput } from "./runtime-input.ts";
import { createRuntimeReporter } from "./runtime-reporter.ts";
import { createSystemScheduler } from "./scheduler.ts";
import { type MikaTickReport, runTick } from "./tick.ts";
import { runWorkLaneLoop } from "./work-lane-loop.ts";

/** What `run()` resolves with once the runtime has shut down. */
export interface MikaRuntimeRunSummary {
  instanceId: string;
  startedAt: string;
  stoppedAt: string;
  /** Passes run across every lane. */
  passes: number;
  /** How many times this process became leader. */
  terms: number;
}

/** Options of one `tick()`. */
export interface MikaTickOptions {
  /** The tick returns within this many milliseconds. Default 25 000. */
  budgetMs?: number;
  signal?: AbortSignal;
  /** Upper bound on passes per lane when a lane keeps reporting `hasMore`. Default 50. */
  maxPassesPerLane?: number;
}

/** Every key of `tick()`'s options. */
export const MIKA_TICK_OPTION_KEYS = {
  budgetMs: true,
  signal: true,
  maxPassesPerLane: true,
} as const satisfies MikaOptionKeyTable<MikaTickOptions>;

/** Options of `run()`. */
export interface MikaRuntimeRunOptions {
  /** Stops the runtime gracefully when aborted. */
  signal?: AbortSignal;
}

/** Every key of `run()`'s options. */
export const MIKA_RUNTIME_RUN_OPTION_KEYS = {
  signal: true,
} as const satisfies MikaOptionKeyTable<MikaRuntimeRunOptions>;

/** The maintenance-only runtime: persistent lanes with leader election, or bounded ticks. */
export interface MikaMaintenanceRuntime {
  readonly instanceId: string;
  /** The lanes with their resolved schedule, in task order. */
  readonly lanes: readonly MikaResolvedLane[];
  /**
   * Runs until the signal aborts: runs every `every-replica` lane (the email outbox) on its own
   * schedule from the start, campaigns for leadership and, while leading, runs each `leader`
   * lane on its own schedule. Resolves after a graceful shutdown (passes stopped at a batch
   * boundary or abandoned after the grace period, leadership resigned, last heartbeat).
   */
  run(options?: MikaRuntimeRunOptions): Promise<MikaRuntimeRunSummary>;
  /** Runs the due lanes once within `budgetMs` and reports what happened. Needs no leader. */
  tick(options?: MikaTickOptions): Promise<MikaTickReport>;
  /** True while this process leads. */
  isLeader(): boolean;
  /** Runs one pass of `lane` now, out of schedule, on this process (an operator's action). */
  runLaneNow(lane: string, options?: { signal?: AbortSignal }): Promise<MikaRunLaneNowResult>;
}

/**
 * Creates the maintenance-only runtime over the runner's dependencies, a leadership port and
 * a runtime-state port (defaults: `repositories.leadership`, `repositories.runtimeState`). It
 * calls nothing but maintenance methods, leadership and runtime state.
 */
export function createMaintenanceRuntime(
  input: MikaMaintenanceRuntimeInput,
): MikaMaintenanceRuntime {
  if (input === null || typeof input !== "object") {
    throw new MikaMaintenanceOptionsError(
      "input",
      "createMaintenanceRuntime needs an options object.",
    );
  }
  rejectUnknownOptions("createMaintenanceRuntime", input, MIKA_RUNTIME_INPUT_KEYS);
  const leadership = requirePort<MikaLeadershipPort>(
    "leadership",
    input.leadership ?? input.repositories?.leadership,
    ["tryAcquireLeadership", "renewLeadership", "resignLeadership", "getLeadership"],
  );
  const runtimeState = requirePort<MikaRuntimeStatePort>(
    "runtimeState",
    input.runtimeState ?? input.repositories?.runtimeState,
    [
      "recordHeartbeat",
      "claimLane",
      "listLaneStates",
      "recordLaneRun",
      "pruneLaneRuns",
      "pruneHeartbeats",
    ],
  );
  resolveRunLimits(undefined, input.defaults);
  const runner = createMikaMaintenanceRunner(runnerInputOf(input));
  const lanes = resolveLanes(runner.tasks, input.lanes);
  const settings = resolveRuntimeSettings(input);
  const instanceId = nonEmptyString("instanceId", input.instanceId, createRandomId());
  const host = nonEmptyString("host", input.host, defaultHost());
  const scheduler = input.scheduler ?? createSystemScheduler(input.now);
  const random = input.random ?? Math.random;
  const logger =
    input.logger === false
      ? undefined
      : (input.logger ?? createConsoleLogger({ clock: () => scheduler.now() }));
  let onTermStart: (() => void) | null = null;
  const reporter = createRuntimeReporter({
    logger,
    onPass: input.onPass,
    onEvent: input.onEvent,
    listen(event) {
      if (event.type === "leadership.acquired") onTermStart?.();
    },
  });
  const context: MikaPassContext = {
    runner,
    runtimeState,
    scheduler,
    reporter,
    instanceId,
    createId: input.createId ?? createRandomId,
    storeTimeoutMs: settings.renewEveryMs,
  };
  const elector = createLeaderElector({
    leadership,
    name: settings.leaderName,
    holder: instanceId,
    ttlMs: settings.leaseTtlMs,
    renewEveryMs: settings.renewEveryMs,
    scheduler,
    reporter,
  });
  const heartbeat = createHeartbeat({
    runtimeState,
    scheduler,
    reporter,
    instanceId,
    host,
    pid: defaultPid(),
    isLeader: () => elector.current() !== null,
    heartbeatMs: settings.heartbeatMs,
    pruneEveryMs: MIKA_RUNTIME_DEFAULTS.pruneEveryMs,
    keepRunsPerLane: settings.keepRunsPerLane,
    heartbeatRetentionMs: settings.heartbeatRetentionMs,
    storeTimeoutMs: context.storeTimeoutMs,
  });
  let running = false;

  async function run(given?: MikaRuntimeRunOptions) {
    const options = requireOptionsObject("options", given) as MikaRuntimeRunOptions;
    rejectUnknownOptions("run", options, MIKA_RUNTIME_RUN_OPTION_KEYS);
    if (running) {
      throw new MikaMaintenanceError(
        "MIKA_RUNTIME_ALREADY_RUNNING",
        "This maintenance runtime is already running; create another runtime for a second process.",
      );
    }
    running = true;
    const { controller: stopper, dispose } = linkedAbort(input.signal, options.signal);
    const stop = stopper.signal;
    const hardStop = new AbortController();
    const startedAt = new Date(scheduler.now()).toISOString();
    let passes = 0;
    let terms = 0;
    let termStates: { term: MikaLeaderTerm; states: Promise<Map<string, MikaLaneState>> } | null =
      null;
    onTermStart = () => {
      terms += 1;
      // Let `status` show the new leader right away rather than at the next beat.
      void heartbeat.beat();
    };
    try {
      const electing = elector.run(stop);
      const beating = heartbeat.run(stop);
      const laneLoops = Promise.all(
        lanes
          .filter((lane) => lane.enabled)
          .map((lane) =>
            (lane.runsOn === "every-replica" ? runWorkLaneLoop : runLaneLoop)(
              {
                context,
                elector,
                stop,
                hardStop: hardStop.signal,
                statesFor(term) {
                  if (
                    termStates?.term.term !== term.term ||
                    termStates.term.signal !== term.signal
                  ) {
                    termStates = {
                      term,
                      states: readLaneStates(context).then((read) =>
                        "states" in read ? read.states : new Map(),
                      ),
                    };
                  }
                  return termStates.states;
                },
                hasMoreDelay: () => Math.round(settings.hasMoreDelayMs * (0.5 + random())),
                onPass: () => {
                  passes += 1;
                },
              },
              lane,
            ),
          ),
      );
      await whenAborted(stop);
      const graceful = await raceWork(laneLoops, settings.shutdownGraceMs, scheduler);
      if (graceful.kind !== "done") {
        hardStop.abort();
        await laneLoops;
      }
      await electing;
      await elector.resign();
      await beating;
      await heartbeat.beat();
    } finally {
      onTermStart = null;
      dispose();
      running = false;
    }
    const stoppedAt = new Date(scheduler.now()).toISOString();
    reporter.event({ type: "runtime.stopped", instanceId, at: stoppedAt });
    return { instanceId, startedAt, stoppedAt, passes, terms };
  }

  return {
    instanceId,
    lanes,
    run,
    isLeader: () => elector.current() !== null,
    runLaneNow: (lane, options = {}) => runLaneNow(context, lanes, lane, options.signal),
    async tick(given?: MikaTickOptions) {
      const options = requireOptionsObject("options", given) as MikaTickOptions;
      rejectUnknownOptions("tick", options, MIKA_TICK_OPTION_KEYS);
      const budgetMs = resolveBudget(options.budgetMs, MIKA_RUNTIME_DEFAULTS.tickBudgetMs);
      const maxPassesPerLane =
        options.maxPassesPerLane === undefined
          ? 50
          : resolveWhole("maxPassesPerLane", options.maxPassesPerLane, 1, 10_000);
      const { controller, dispose } = linkedAbort(input.signal, options.signal);
      try {
        return await runTick({
          context,
          lanes,
          budgetMs,
          stop: controller.signal,
          maxPassesPerLane,
          // No heartbeat: a tick is not a process that stays, so it must not show as an
          // instance (which would turn STALE a moment later); its lane runs name it instead.
          afterLanes: () => heartbeat.prune(),
        });
      } finally {
        dispose();
      }
    },
  };
}

/** The runner's share of the runtime input: the runner rejects the runtime's own keys. */
function runnerInputOf(input: MikaMaintenanceRuntimeInput): MikaMaintenanceRunnerInput {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(MIKA_RUNNER_INPUT_KEYS)) {
    if (key in input) picked[key] = input[key as keyof MikaMaintenanceRunnerInput];
  }
  return picked as MikaMaintenanceRunnerInput;
}

function requirePort<T>(field: string, port: unknown, methods: string[]): T {
  const missing =
    port && typeof port === "object"
      ? methods.filter((method) => typeof (port as Record<string, unknown>)[method] !== "function")
      : methods;
  if (missing.length > 0) {
    throw new MikaMaintenanceOptionsError(
      field,
      `createMaintenanceRuntime needs ${field} (or repositories.${field}) with ${missing.join(", ")}; the storage adapters provide it.`,
    );
  }
  return port as T;
}

function resolveWhole(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a whole number from ${min} to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}

type MaybeProcess = { pid?: number; env?: Record<string, string | undefined> };

function currentProcess(): MaybeProcess | undefined {
  return (globalThis as { process?: MaybeProcess }).process;
}

function defaultHost(): string {
  const env = currentProcess()?.env;
  return env?.HOSTNAME || env?.COMPUTERNAME || "unknown";
}

function defaultPid(): number {
  return currentProcess()?.pid ?? 0;
}
