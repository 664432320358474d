import {
  countersOf,
  type MikaLaneKey,
  type MikaMaintenanceRunResult,
  type MikaMaintenanceSummary,
  type MikaMaintenanceTaskResult,
  type MikaTickReport,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { paint } from "../setup/color.ts";
import { SENDER_HINT } from "../setup/runner-input.ts";
import { describeMoved, formatDuration } from "./format.ts";
import { type MikaTableOptions, renderTable } from "./table.ts";

/** One sweep of some or all tasks, in run order, at one `now`. */
export interface MikaSweep {
  now: string;
  tasks: { key: MikaLaneKey; outcome: MikaMaintenanceTaskResult<unknown> }[];
}

/** The log-safe summary of a sweep (the tasks it ran only). */
export function summarizeSweep(sweep: MikaSweep): MikaMaintenanceSummary {
  const result: Record<string, unknown> = { now: sweep.now };
  for (const { key, outcome } of sweep.tasks) result[key] = outcome;
  return summarizeMaintenanceResult(result as MikaMaintenanceRunResult);
}

/** One sweep as a table: task, status, time taken, what moved or why not; failures in red. */
export function renderSweep(sweep: MikaSweep, options: MikaTableOptions): string {
  const rows = sweep.tasks.map(({ key, outcome }) => {
    if (outcome.status === "completed") {
      return [
        key,
        "completed",
        formatDuration(outcome.durationMs),
        describeMoved(key, countersOf(outcome.result)),
      ];
    }
    if (outcome.status === "failed") {
      return [
        paint(key, "red", options.color),
        paint("FAILED", "red", options.color),
        formatDuration(outcome.durationMs),
        paint(outcome.error, "red", options.color),
      ];
    }
    return [key, "skipped", "-", outcome.reason];
  });
  const emailSkipped = sweep.tasks.some(
    (task) => task.key === "emailOutbox" && task.outcome.status === "skipped",
  );
  const notes = emailSkipped ? `\n${SENDER_HINT}` : "";
  return `${renderTable(["task", "status", "took", "what moved"], rows, options)}${notes}`;
}

/** A tick report: its one-line summary, then one row per pass (and per lane that did not run). */
export function renderTick(report: MikaTickReport, options: MikaTableOptions): string {
  const rows: string[][] = [];
  for (const lane of report.lanes) {
    if (lane.passes.length === 0) {
      const failed = lane.outcome === "error";
      const outcome = failed ? "ERROR" : lane.outcome.replace("_", " ");
      rows.push([
        failed ? paint(lane.lane, "red", options.color) : lane.lane,
        failed ? paint(outcome, "red", options.color) : outcome,
        "-",
        lane.error ?? "",
        lane.nextDueAt ?? "-",
      ]);
      continue;
    }
    lane.passes.forEach((pass, index) => {
      const bad = pass.status === "failed" || pass.status === "abandoned";
      const what =
        pass.status === "completed"
          ? describeMoved(lane.lane, pass.counters)
          : (pass.error ?? pass.reason ?? "");
      rows.push([
        index === 0 ? (bad ? paint(lane.lane, "red", options.color) : lane.lane) : "",
        paint(
          `${bad ? pass.status.toUpperCase() : pass.status}${lane.passes.length > 1 ? ` (${index + 1}/${lane.passes.length})` : ""}`,
          "red",
          options.color && bad,
        ),
        formatDuration(pass.durationMs),
        bad ? paint(what, "red", options.color) : what,
        index === lane.passes.length - 1 ? (lane.nextDueAt ?? "-") : "",
      ]);
    });
  }
  const headline = report.ok ? report.summary : paint(report.summary, "red", options.color);
  return `${headline}\n${renderTable(["lane", "pass", "took", "what moved", "next due"], rows, options)}`;
}
