import { errorMessage, MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import { describeValue } from "../validation/describe-value.ts";
import { rejectUnknownOptions, requireOptionsObject } from "../validation/option-keys.ts";
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
import type { MikaMaintenanceTask, MikaTaskContext } from "./task.ts";

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
    const limits = resolveRunLimits(options, input.defaults);
    const now = resolveNow(options?.now, input.now);
    return { now, limits, signal: options?.signal, createId };
  }

  async function execute(
    task: MikaMaintenanceTask,
    context: MikaTaskContext,
  ): Promise<MikaMaintenanceTaskResult<unknown>> {
    let plan: ReturnType<MikaMaintenanceTask["plan"]>;
    try {
      plan = task.plan(input);
    } catch (error) {
      return { status: "failed", error: errorMessage(error), durationMs: 0 };
    }
    if ("skip" in plan) return { status: "skipped", reason: plan.skip };
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
      for (const task of tasks) {
        // The signal is checked before every task, so once a caller gives up (EmDash's hook
        // timeout, a shutdown) no new task starts; tasks that batch also check it between batches.
        result[task.key] = context.signal?.aborted
          ? notStarted(context.signal)
          : await execute(task, context);
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
      const outcome = await execute(task, context);
      return { ...outcome, now: context.now } as never;
    },
  };
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
