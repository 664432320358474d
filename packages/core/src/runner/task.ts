import type { MikaLaneKind, MikaLaneRunsOn } from "../runtime/lane-defaults.ts";
import type { ISODateTime } from "../time.ts";
import type { MikaMaintenanceRunnerInput } from "./runner-input.ts";

/** What a task sees while it runs: one `now` for the whole sweep and its validated limits. */
export interface MikaTaskContext<L extends string = string> {
  now: ISODateTime;
  /** The limits the task declared, validated and with this run's overrides applied. */
  limits: Readonly<Record<L, number>>;
  signal: AbortSignal | undefined;
  createId: () => string;
}

/**
 * How a task will run with the given input, or why it cannot (a full sentence). `sweeps` is the
 * port object whose rows the run works on, when there is one: a store that serves it may answer
 * for the task's due work (see `MikaStorePort.probeDueWork`).
 */
export type MikaTaskPlan<R, L extends string = string> =
  | { run: (context: MikaTaskContext<L>) => Promise<R>; sweeps?: object | undefined }
  | { skip: string };

/**
 * A task's default runtime lane. `runsOn` defaults to `leader` and `timeoutMs` to 60 000 ms;
 * hosts override interval, timeout and `enabled` per lane with the runtime's `lanes` option.
 */
export interface MikaTaskLane {
  kind: MikaLaneKind;
  /** Time between the starts of two passes. */
  intervalMs: number;
  runsOn?: MikaLaneRunsOn;
  /** A pass still running after this long is aborted and recorded `abandoned`. */
  timeoutMs?: number;
}

/**
 * A run limit a task reads from `MikaTaskContext.limits`: a whole number from 0 to
 * `MIKA_MAX_LIMIT`, or with `unit: "days"` a number of days (fractions allowed) up to
 * `MIKA_MAX_RETENTION_DAYS`.
 */
export interface MikaTaskLimit {
  default: number;
  /** One line for docs and `--help`. */
  description: string;
  unit?: "days";
}

/**
 * One maintenance task: its result key, its lane, the run limits it reads and how to plan it
 * from the runner input. Everything the runner, runtime, CLI and plugin know about a task comes
 * from here, so a built-in task is one file plus one registry line.
 */
export interface MikaMaintenanceTask<
  K extends string = string,
  R = unknown,
  L extends string = string,
> {
  key: K;
  /** One line for docs and `--help`. */
  description: string;
  lane: MikaTaskLane;
  /** The run options this task adds (`emailLimit`, …), by option name. Built-in tasks only. */
  limits?: { readonly [N in L]: MikaTaskLimit };
  plan(input: MikaMaintenanceRunnerInput): MikaTaskPlan<R, L>;
}

/** Declares a task with its key, result type and limit names inferred. */
export function defineMaintenanceTask<const K extends string, R, const L extends string = never>(
  task: MikaMaintenanceTask<K, R, L>,
): MikaMaintenanceTask<K, R, L> {
  return task;
}

/** A full-sentence skip reason naming what the host did not wire. */
export function missingDependency(task: string, needs: string): { skip: string } {
  return { skip: `The ${task} task needs ${needs}, which the host did not provide.` };
}
