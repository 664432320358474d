import type { MIKA_MAINTENANCE_TASKS } from "../tasks/registry.ts";
import type { ISODateTime } from "../time.ts";
import type { MikaMaintenanceTask } from "./task.ts";

/**
 * One task's outcome: completed with its result, failed with a message, or skipped. A task the
 * run never started because its signal was aborted is skipped with `notStarted: true`.
 */
export type MikaMaintenanceTaskResult<T> =
  | { status: "completed"; result: T; durationMs: number }
  | { status: "failed"; error: string; durationMs: number }
  | { status: "skipped"; reason: string; notStarted?: true };

type RegisteredTask = (typeof MIKA_MAINTENANCE_TASKS)[number];

/** The result keys of the maintenance tasks, in run order. */
export type MikaMaintenanceTaskKey = RegisteredTask["key"];

/** The completed-result type of each task, by key. */
export type MikaMaintenanceTaskResults = {
  [T in RegisteredTask as T["key"]]: MikaTaskResultOf<T>;
};

/** A lane's name: a built-in task key or the key of a host-defined task. */
export type MikaLaneKey = MikaMaintenanceTaskKey | (string & {});

/** The completed-result type of a task definition. */
export type MikaTaskResultOf<T> =
  T extends MikaMaintenanceTask<string, infer R, infer _L> ? R : never;

/** One result per host-defined task, by its key: what `tasks` adds to a run result. */
export type MikaHostTaskResults<H extends readonly MikaMaintenanceTask<string, unknown, never>[]> =
  {
    [T in H[number] as T["key"]]: MikaMaintenanceTaskResult<MikaTaskResultOf<T>>;
  };

/** One sweep's results: the instant it ran at, and one result per task. */
export type MikaMaintenanceRunResult = { now: ISODateTime } & {
  [K in MikaMaintenanceTaskKey]: MikaMaintenanceTaskResult<MikaMaintenanceTaskResults[K]>;
};
