import {
  countersOf,
  MIKA_MAINTENANCE_TASKS,
  type MikaMaintenanceRunResult,
  type MikaTickReport,
} from "@mika-maintenance/core";
import { SENDER_HINT } from "../setup/runner-input.ts";
import { describeMoved, formatDuration } from "./format.ts";
import { renderTable } from "./table.ts";

/** One sweep (`runOnce`) as a table: task, status, time taken, what moved or why not. */
export function renderSweep(result: MikaMaintenanceRunResult, color: boolean): string {
  const rows = MIKA_MAINTENANCE_TASKS.map((task) => {
    const outcome = result[task.key];
    if (outcome.status === "completed") {
      return [
        task.key,
        "completed",
        formatDuration(outcome.durationMs),
        describeMoved(task.key, countersOf(outcome.result)),
      ];
    }
    if (outcome.status === "failed") {
      return [task.key, "FAILED", formatDuration(outcome.durationMs), outcome.error];
    }
    return [task.key, "skipped", "-", outcome.reason];
  });
  const notes = result.emailOutbox.status === "skipped" ? `\n${SENDER_HINT}` : "";
  return `${renderTable(["task", "status", "took", "what moved"], rows, { color })}${notes}`;
}

/** A tick report as a table: lane, outcome, passes, what moved, next due. */
export function renderTick(report: MikaTickReport, color: boolean): string {
  const rows = report.lanes.map((lane) => {
    const moved = lane.passes
      .map((pass) =>
        pass.status === "completed"
          ? describeMoved(lane.lane, pass.counters)
          : `${pass.status.toUpperCase()}: ${pass.error ?? pass.reason ?? ""}`,
      )
      .join("; ");
    const took = lane.passes.reduce((sum, pass) => sum + pass.durationMs, 0);
    return [
      lane.lane,
      lane.outcome === "ran" ? lane.passes.map((pass) => pass.status).join(", ") : lane.outcome,
      String(lane.passes.length),
      lane.passes.length ? formatDuration(took) : "-",
      moved || lane.error || "",
      lane.nextDueAt ?? "-",
    ];
  });
  const header = `tick ${report.ok ? "ok" : "NOT OK"} in ${formatDuration(report.durationMs)} of ${formatDuration(report.budgetMs)} budget (instance ${report.instanceId})`;
  return `${header}\n${renderTable(["lane", "outcome", "passes", "took", "what moved", "next due"], rows, { color })}`;
}
