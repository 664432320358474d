import type { ISODateTime } from "../time.ts";
import type { MikaResolvedRunLimits } from "./run-options.ts";
import type { MikaMaintenanceRunnerInput } from "./runner-input.ts";

/** What a task sees while it runs: one `now` for the whole sweep and validated limits. */
export interface MikaTaskContext {
  now: ISODateTime;
  limits: MikaResolvedRunLimits;
  signal: AbortSignal | undefined;
  createId: () => string;
}

/**
 * How a task will run with the given input, or why it cannot (a full sentence). `sweeps` is the
 * port object whose rows the run works on, when there is one: a store that serves it may answer
 * for the task's due work (see `MikaStorePort.probeDueWork`).
 */
export type MikaTaskPlan<R> =
  | { run: (context: MikaTaskContext) => Promise<R>; sweeps?: object | undefined }
  | { skip: string };

/** One maintenance task: its result key and how to plan it from the runner input. */
export interface MikaMaintenanceTask<K extends string = string, R = unknown> {
  key: K;
  /** One line for docs and `--help`. */
  description: string;
  plan(input: MikaMaintenanceRunnerInput): MikaTaskPlan<R>;
}

/** Declares a task with its key and result type inferred. */
export function defineMaintenanceTask<const K extends string, R>(
  task: MikaMaintenanceTask<K, R>,
): MikaMaintenanceTask<K, R> {
  return task;
}

/** A full-sentence skip reason naming what the host did not wire. */
export function missingDependency(task: string, needs: string): { skip: string } {
  return { skip: `The ${task} task needs ${needs}, which the host did not provide.` };
}
