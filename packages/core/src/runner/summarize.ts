import type { ISODateTime } from "../time.ts";
import type {
  MikaLaneKey,
  MikaMaintenanceRunResult,
  MikaMaintenanceTaskResult,
} from "./results.ts";

/** A task's outcome reduced to what is safe to log: status, timing and numeric counters. */
export interface MikaTaskSummary {
  status: "completed" | "failed" | "skipped";
  durationMs?: number;
  /** Numeric and boolean fields of the result only: never item lists or personal data. */
  counters?: Record<string, number | boolean>;
  error?: string;
  reason?: string;
}

/** A log-safe summary of one sweep. */
export interface MikaMaintenanceSummary {
  now: ISODateTime;
  ok: boolean;
  failed: MikaLaneKey[];
  skipped: MikaLaneKey[];
  /** Tasks the run never started because its signal was aborted (also listed in `skipped`). */
  notStarted: MikaLaneKey[];
  /** One summary per task, built-in and host-defined. */
  tasks: Partial<Record<MikaLaneKey, MikaTaskSummary>>;
}

const MAX_ERROR_LENGTH = 500;

/** Reduces a run result to counters, statuses and errors, dropping item lists. */
export function summarizeMaintenanceResult(
  result: MikaMaintenanceRunResult,
): MikaMaintenanceSummary {
  const summary: MikaMaintenanceSummary = {
    now: result.now,
    ok: true,
    failed: [],
    skipped: [],
    notStarted: [],
    tasks: {},
  };
  for (const [key, value] of Object.entries(result)) {
    if (key === "now" || !value || typeof value !== "object") continue;
    const taskKey: MikaLaneKey = key;
    const outcome = value as MikaMaintenanceTaskResult<unknown>;
    if (outcome.status === "completed") {
      summary.tasks[taskKey] = {
        status: "completed",
        durationMs: outcome.durationMs,
        counters: countersOf(outcome.result),
      };
    } else if (outcome.status === "failed") {
      summary.ok = false;
      summary.failed.push(taskKey);
      summary.tasks[taskKey] = {
        status: "failed",
        durationMs: outcome.durationMs,
        error: truncate(outcome.error),
      };
    } else {
      summary.skipped.push(taskKey);
      if (outcome.notStarted) summary.notStarted.push(taskKey);
      summary.tasks[taskKey] = { status: "skipped", reason: outcome.reason };
    }
  }
  return summary;
}

/** True when any task of the run failed. */
export function hasFailedTask(result: MikaMaintenanceRunResult): boolean {
  return Object.values(result).some(
    (value) => typeof value === "object" && value !== null && value.status === "failed",
  );
}

/** The numeric and boolean fields of a task result. */
export function countersOf(result: unknown): Record<string, number | boolean> {
  const counters: Record<string, number | boolean> = {};
  if (!result || typeof result !== "object") return counters;
  for (const [field, value] of Object.entries(result)) {
    if (typeof value === "number" || typeof value === "boolean") counters[field] = value;
  }
  return counters;
}

function truncate(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
}
