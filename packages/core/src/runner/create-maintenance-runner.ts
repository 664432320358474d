import { errorMessage, MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import { describeValue } from "../validation/describe-value.ts";
import { rejectUnknownOptions, requireOptionsObject } from "../validation/option-keys.ts";
import { findIdleTasks } from "./due-work.ts";
import { withHostTasks } from "./host-tasks.ts";
import { resolveNow } from "./resolve-now.ts";
import type {
  MikaHostTaskResults,
  MikaLaneKey,
  MikaMaintenanceRunResult,
  MikaMaintenanceTaskKey,
  MikaMaintenanceTaskResult,
  MikaMaintenanceTaskResults,
  MikaTaskResultOf,
} from "./results.ts";
import { type MikaMaintenanceRunOptions, resolveRunLimits } from "./run-options.ts";
import { MIKA_RUNNER_INPUT_KEYS, type MikaMaintenanceRunnerInput } from "./runner-input.ts";
import type { MikaMaintenanceTask, MikaTaskContext, MikaTaskPlan } from "./task.ts";

/** Any host-defined task list, as `tasks` takes it. */
export type MikaHostTasks = readonly MikaMaintenanceTask<string, unknown, never>[];

type TaskResultsWith<H extends MikaHostTasks> = MikaMaintenanceTaskResults & {
  [T in H[number] as T["key"]]: MikaTaskResultOf<T>;
};

/**
 * Runs the maintenance tasks: all of them (`runOnce`) or one (`runTask`, for runtime lanes).
 * `H` is the host-defined tasks, whose keys and results the run result includes.
 */
export interface MikaMaintenanceRunner<H extends MikaHostTasks = []> {
  /** Runs every task once, in order (built-in, then host tasks); a failing task never stops the others. */
  runOnce(
    options?: MikaMaintenanceRunOptions,
  ): Promise<MikaMaintenanceRunResult & MikaHostTaskResults<H>>;
  /** Runs a single task with the same validation and `now` resolution as `runOnce`. */
  runTask<K extends MikaMaintenanceTaskKey | H[number]["key"]>(
    key: K,
    options?: MikaMaintenanceRunOptions,
  ): Promise<MikaMaintenanceTaskResult<TaskResultsWith<H>[K]> & { now: string }>;
  /** The task keys, in run order (built-in, then host tasks). */
  readonly taskKeys: readonly MikaLaneKey[];
  /** Every task the runner runs, in run order: the built-in ones, then the host's. */
  readonly tasks: readonly MikaMaintenanceTask[];
}

/**
 * Creates the maintenance runner over whatever dependencies the host wired. Host-defined tasks
 * (`tasks`, made with `defineMaintenanceTask`) run after the built-in ones.
 */
export function createMikaMaintenanceRunner<const H extends MikaHostTasks = []>(
  input: MikaMaintenanceRunnerInput & { tasks?: H } = {},
): MikaMaintenanceRunner<H> {
  const checked = requireOptionsObject("input", input);
  rejectUnknownOptions("createMikaMaintenanceRunner", checked, MIKA_RUNNER_INPUT_KEYS);
  requireFunctionOrUndefined("now", input.now);
  requireFunctionOrUndefined("createId", input.createId);
  // Bad host-wide defaults fail here, at wiring time, not on the first run.
  resolveRunLimits(undefined, input.defaults);
  const createId = input.createId ?? createRandomId;
  const tasks = withHostTasks(input.tasks);

  function contextFor(options: MikaMaintenanceRunOptions | undefined): MikaTaskContext {
    // Every limit is a number but the raw-payload retention, which may be a per-provider map;
    // its task reads it as such (see raw-provider-payloads.ts).
    const limits = resolveRunLimits(options, input.defaults) as unknown as Record<string, number>;
    const now = resolveNow(options?.now, input.now);
    return { now, limits, signal: options?.signal, createId };
  }

  function planOf(task: MikaMaintenanceTask): PlannedTask {
    try {
      return { key: task.key, plan: task.plan(input) };
    } catch (error) {
      return { key: task.key, plan: { failed: errorMessage(error) } };
    }
  }

  /** The planned tasks the store says have nothing due, with the result each reports. */
  function idleAmong(planned: readonly PlannedTask[], context: MikaTaskContext) {
    const candidates = planned.flatMap(({ key, plan }) =>
      "run" in plan ? [{ key, sweeps: plan.sweeps }] : [],
    );
    return findIdleTasks(input.repositories?.store, candidates, context);
  }

  async function execute(
    { key, plan }: PlannedTask,
    context: MikaTaskContext,
    idle: Map<string, unknown>,
  ): Promise<MikaMaintenanceTaskResult<unknown>> {
    if ("failed" in plan) return { status: "failed", error: plan.failed, durationMs: 0 };
    if ("skip" in plan) return { status: "skipped", reason: plan.skip };
    // Nothing due, by the store's own answer: the task's tables are not touched.
    if (idle.has(key)) return { status: "completed", result: idle.get(key), durationMs: 0 };
    const started = performance.now();
    try {
      const result = await plan.run(context);
      return { status: "completed", result, durationMs: elapsed(started) };
    } catch (error) {
      return { status: "failed", error: errorMessage(error), durationMs: elapsed(started) };
    }
  }

  return {
    taskKeys: tasks.map((task) => task.key),
    tasks,

    async runOnce(options) {
      const context = contextFor(options);
      const result: Record<string, unknown> = { now: context.now };
      const planned = tasks.map((task) => planOf(task));
      const idle = context.signal?.aborted ? new Map() : await idleAmong(planned, context);
      for (const task of planned) {
        // The signal is checked before every task, so once a caller gives up (EmDash's hook
        // timeout, a shutdown) no new task starts; tasks that batch also check it between batches.
        result[task.key] = context.signal?.aborted
          ? notStarted(context.signal)
          : await execute(task, context, idle);
      }
      return result as MikaMaintenanceRunResult & MikaHostTaskResults<H>;
    },

    async runTask(key, options) {
      const task = tasks.find((candidate) => candidate.key === key);
      if (!task) {
        throw new MikaMaintenanceOptionsError(
          "task",
          `Unknown maintenance task "${String(key)}". Known tasks: ${tasks.map((t) => t.key).join(", ")}.`,
        );
      }
      const context = contextFor(options);
      const planned = planOf(task);
      const idle = await idleAmong([planned], context);
      const outcome = await execute(planned, context, idle);
      return { ...outcome, now: context.now } as never;
    },
  };
}

/** A task and its plan, or the message its planning threw. */
interface PlannedTask {
  key: string;
  plan: MikaTaskPlan<unknown> | { failed: string };
}

function requireFunctionOrUndefined(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a function, got ${describeValue(value)}.`,
    );
  }
}

function notStarted(signal: AbortSignal): MikaMaintenanceTaskResult<never> {
  return {
    status: "skipped",
    reason: `Not started: the run was aborted before this task (${abortReason(signal)}).`,
    notStarted: true,
  };
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) {
    return reason.name === "TimeoutError" ? "the run's time limit passed" : reason.message;
  }
  return typeof reason === "string" && reason.length > 0 ? reason : "aborted";
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
