import { errorMessage, MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import { MIKA_MAINTENANCE_TASKS } from "../tasks/registry.ts";
import { describeValue } from "../validation/describe-value.ts";
import { rejectUnknownOptions, requireOptionsObject } from "../validation/option-keys.ts";
import { resolveNow } from "./resolve-now.ts";
import type {
  MikaMaintenanceRunResult,
  MikaMaintenanceTaskKey,
  MikaMaintenanceTaskResult,
  MikaMaintenanceTaskResults,
} from "./results.ts";
import { type MikaMaintenanceRunOptions, resolveRunLimits } from "./run-options.ts";
import { MIKA_RUNNER_INPUT_KEYS, type MikaMaintenanceRunnerInput } from "./runner-input.ts";
import type { MikaMaintenanceTask, MikaTaskContext } from "./task.ts";

/** Runs the maintenance tasks: all of them (`runOnce`) or one (`runTask`, for runtime lanes). */
export interface MikaMaintenanceRunner {
  /** Runs every task once, in order; a failing task never stops the others. */
  runOnce(options?: MikaMaintenanceRunOptions): Promise<MikaMaintenanceRunResult>;
  /** Runs a single task with the same validation and `now` resolution as `runOnce`. */
  runTask<K extends MikaMaintenanceTaskKey>(
    key: K,
    options?: MikaMaintenanceRunOptions,
  ): Promise<MikaMaintenanceTaskResult<MikaMaintenanceTaskResults[K]> & { now: string }>;
  /** The task keys, in run order. */
  readonly taskKeys: readonly MikaMaintenanceTaskKey[];
}

/** Creates the maintenance runner over whatever dependencies the host wired. */
export function createMikaMaintenanceRunner(
  input: MikaMaintenanceRunnerInput = {},
): MikaMaintenanceRunner {
  const checked = requireOptionsObject("input", input);
  rejectUnknownOptions("createMikaMaintenanceRunner", checked, MIKA_RUNNER_INPUT_KEYS);
  requireFunctionOrUndefined("now", input.now);
  requireFunctionOrUndefined("createId", input.createId);
  // Bad host-wide defaults fail here, at wiring time, not on the first run.
  resolveRunLimits(undefined, input.defaults);
  const createId = input.createId ?? createRandomId;

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
    taskKeys: MIKA_MAINTENANCE_TASKS.map((task) => task.key),

    async runOnce(options) {
      const context = contextFor(options);
      const result: Record<string, unknown> = { now: context.now };
      for (const task of MIKA_MAINTENANCE_TASKS) {
        // The signal is checked before every task, so once a caller gives up (EmDash's hook
        // timeout, a shutdown) no new task starts; tasks that batch also check it between batches.
        result[task.key] = context.signal?.aborted
          ? notStarted(context.signal)
          : await execute(task as MikaMaintenanceTask, context);
      }
      return result as MikaMaintenanceRunResult;
    },

    async runTask(key, options) {
      const task = MIKA_MAINTENANCE_TASKS.find((candidate) => candidate.key === key);
      if (!task) {
        throw new MikaMaintenanceOptionsError(
          "task",
          `Unknown maintenance task "${String(key)}". Known tasks: ${MIKA_MAINTENANCE_TASKS.map((t) => t.key).join(", ")}.`,
        );
      }
      const context = contextFor(options);
      const outcome = await execute(task as MikaMaintenanceTask, context);
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
