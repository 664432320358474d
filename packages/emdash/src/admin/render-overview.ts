import type { MikaBacklogStatus, MikaLaneRunRecord } from "@mika-maintenance/core";
import { MIKA_MAINTENANCE_TASK } from "../constants.ts";
import type { MikaBlock } from "./blocks.ts";
import type { MikaMaintenanceOverview } from "./maintenance-overview.ts";

/** The action id of the "Run now" button. */
export const RUN_NOW_ACTION = "run_now";

/** The admin page: state, next run, backlog, failures, the last run per task and recent runs. */
export function renderMaintenancePage(overview: MikaMaintenanceOverview): MikaBlock[] {
  const blocks: MikaBlock[] = [
    { type: "header", text: "Maintenance" },
    ...banners(overview),
    { type: "fields", block_id: "schedule", fields: scheduleFields(overview) },
    { type: "stats", block_id: "backlog", items: backlogStats(overview) },
    runNowButton(),
    { type: "header", text: "Last run, per task" },
    lastRunTable(overview),
    { type: "header", text: "Recent runs" },
    recentRunsTable(overview),
    {
      type: "context",
      text: `Run summaries are kept in the maintenance store (newest 200 per task). Read at ${overview.now}.`,
    },
  ];
  return blocks;
}

/** The dashboard widget: the same state in three blocks and the "Run now" button. */
export function renderMaintenanceWidget(overview: MikaMaintenanceOverview): MikaBlock[] {
  return [
    ...banners(overview),
    { type: "fields", block_id: "schedule", fields: scheduleFields(overview).slice(0, 4) },
    { type: "stats", block_id: "backlog", items: backlogStats(overview) },
    runNowButton(),
  ];
}

function banners(overview: MikaMaintenanceOverview): MikaBlock[] {
  const blocks: MikaBlock[] = [];
  for (const issue of overview.settings.issues) {
    blocks.push({
      type: "banner",
      variant: "error",
      title: "A saved setting was set aside",
      description: `${issue}. The descriptor's value applies until it is fixed in the plugin settings.`,
    });
  }
  if (!overview.settings.enabled) {
    blocks.push({
      type: "banner",
      variant: "alert",
      title: "Maintenance is off",
      description: `${MIKA_MAINTENANCE_TASK} is not scheduled; turn it on in the plugin settings.`,
    });
  }
  if (!overview.wired) {
    blocks.push({
      type: "banner",
      variant: "alert",
      title: "Nothing is wired",
      description:
        "The last run skipped every task. Pass repositories, an emailOutboxRunner and the host api to createPlugin() in the plugin entrypoint.",
    });
  }
  if (overview.runs === null) {
    blocks.push({
      type: "banner",
      title: "No run history",
      description:
        "The repositories given to createPlugin() have no runtimeState, so runs are only logged.",
    });
  } else if ("error" in overview.runs) {
    blocks.push({
      type: "banner",
      variant: "error",
      title: "Run history could not be read",
      description: overview.runs.error,
    });
  }
  return blocks;
}

function scheduleFields(
  overview: MikaMaintenanceOverview,
): Array<{ label: string; value: string }> {
  const { settings, task } = overview;
  const latest = Array.isArray(overview.runs) ? overview.runs[0] : undefined;
  return [
    {
      label: "State",
      value: `${settings.enabled ? "on" : "off"} (${settings.source.enabled === "admin" ? "admin setting" : "astro.config default"})`,
    },
    {
      label: "Next run",
      value:
        task === null
          ? "not scheduled"
          : "error" in task
            ? `unknown: ${task.error}`
            : task.nextRunAt,
    },
    {
      label: "Last run",
      value: latest
        ? `${latest.startedAt} (${latest.failed > 0 ? `${latest.failed} failed` : "ok"}, ${formatMs(latest.durationMs)})`
        : "none kept yet",
    },
    {
      label: "Schedule",
      value: `${settings.schedule} (${settings.source.schedule === "admin" ? "admin setting" : "astro.config default"})`,
    },
  ];
}

function backlogStats(overview: MikaMaintenanceOverview) {
  return [
    {
      label: "Failures (24 h)",
      value: overview.failuresLast24h ?? "n/a",
      description: "task runs that failed",
    },
    backlogItem("Due emails", overview.backlog.dueEmails),
    backlogItem("Expired reservations still active", overview.backlog.expiredReservations),
    backlogItem("Queued deletions", overview.backlog.queuedAccountDeletes),
  ];
}

function backlogItem(label: string, figure: MikaBacklogStatus) {
  if ("error" in figure) return { label, value: "n/a", description: figure.error };
  return {
    label,
    value: figure.count,
    description:
      figure.oldestAgeMs === null ? "none waiting" : `oldest ${formatAge(figure.oldestAgeMs)}`,
  };
}

function runNowButton(): MikaBlock {
  return {
    type: "actions",
    block_id: "actions",
    elements: [{ type: "button", action_id: RUN_NOW_ACTION, label: "Run now", style: "primary" }],
  };
}

function lastRunTable(overview: MikaMaintenanceOverview): MikaBlock {
  const latest = Array.isArray(overview.runs) ? overview.runs[0] : undefined;
  return {
    type: "table",
    block_id: "last-run",
    page_action_id: "last_run_page",
    columns: [
      { key: "task", label: "Task", format: "code" },
      { key: "status", label: "Status", format: "badge" },
      { key: "duration", label: "Duration" },
      { key: "counters", label: "Counters" },
      { key: "note", label: "Error or reason" },
    ],
    rows: (latest?.tasks ?? []).map((record) => ({
      task: record.lane,
      status: record.status,
      duration: record.status === "skipped" ? "" : formatMs(record.durationMs),
      counters: formatCounters(record),
      note: record.error ?? "",
    })),
    empty_text: "No run kept yet.",
  };
}

function recentRunsTable(overview: MikaMaintenanceOverview): MikaBlock {
  const runs = Array.isArray(overview.runs) ? overview.runs : [];
  return {
    type: "table",
    block_id: "recent-runs",
    page_action_id: "recent_runs_page",
    columns: [
      { key: "startedAt", label: "Started", format: "relative_time" },
      { key: "trigger", label: "Trigger" },
      { key: "outcome", label: "Outcome", format: "badge" },
      { key: "duration", label: "Duration" },
      { key: "failedTasks", label: "Failed tasks" },
    ],
    rows: runs.map((run) => ({
      startedAt: run.startedAt,
      trigger: run.instanceId === "emdash" ? "cron" : "run now",
      outcome: run.failed > 0 ? "failed" : "ok",
      duration: formatMs(run.durationMs),
      failedTasks: run.tasks
        .filter((record) => record.status === "failed")
        .map((record) => record.lane)
        .join(", "),
    })),
    empty_text: "No run kept yet.",
  };
}

function formatCounters(record: MikaLaneRunRecord): string {
  return Object.entries(record.counters ?? {})
    .filter(([, value]) => typeof value === "number" || typeof value === "boolean")
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(" ");
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}
