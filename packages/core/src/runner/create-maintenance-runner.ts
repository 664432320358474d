import { errorMessage, MikaMaintenanceOptionsError } from "../errors.ts";
import { createRandomId } from "../ids.ts";
import { MIKA_MAINTENANCE_TASKS } from "../tasks/registry.ts";
import { describeValue } from "../validation/describe-value.ts";
import { rejectUnknownOptions, requireOptionsObject } from "../validation/option-keys.ts";
import { findIdleTasks } from "./due-work.ts";
import { resolveNow } from "./resolve-now.ts";
import type {
  MikaMaintenanceRunResult,
  MikaMaintenanceTaskKey,
  MikaMaintenanceTaskResult,
  MikaMaintenanceTaskResults,
} from "./results.ts";
import { type MikaMaintenanceRunOptions, resolveRunLimits } from "./run-options.ts";
import { MIKA_RUNNER_INPUT_KEYS, type MikaMaintenanceRunnerInput } from "./runner-input.ts";
import type { MikaMaintenanceTask, MikaTaskContext, MikaTaskPlan } from "./task.ts";

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
    taskKeys: MIKA_MAINTENANCE_TASKS.map((task) => task.key),

    async runOnce(options) {
      const context = contextFor(options);
      const result: Record<string, unknown> = { now: context.now };
      const planned = MIKA_MAINTENANCE_TASKS.map((task) => planOf(task as MikaMaintenanceTask));
      const idle = context.signal?.aborted ? new Map() : await idleAmong(planned, context);
      for (const task of planned) {
        // The signal is checked before every task, so once a caller gives up (EmDash's hook
        // timeout, a shutdown) no new task starts; tasks that batch also check it between batches.
        result[task.key] = context.signal?.aborted
          ? notStarted(context.signal)
          : await execute(task, context, idle);
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
      const planned = planOf(task as MikaMaintenanceTask);
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
