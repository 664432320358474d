import type { MikaBacklogStatus, MikaMaintenanceStatus } from "@mika-maintenance/core";
import { formatAge, formatDuration } from "./format.ts";
import { renderTable } from "./table.ts";

/** `status` for a person: leader, instances, lanes and backlogs. */
export function renderStatus(status: MikaMaintenanceStatus, color: boolean): string {
  const blocks: string[] = [`mika-maintenance status at ${status.now}`];

  const leader = status.leader;
  if (leader === null)
    blocks.push(
      `Leader: none yet (no process has run \`mika-maintenance run\` on "${status.leaderName}")`,
    );
  else if ("error" in leader) blocks.push(`Leader: unreadable (${leader.error})`);
  else if (!leader.live) {
    blocks.push(
      `Leader: none — the last leader ${leader.holder} (term ${leader.term}) let its lease lapse ${formatAge(-leader.expiresInMs)}`,
    );
  } else {
    blocks.push(
      `Leader: ${leader.holder} (term ${leader.term}), lease renewed ${formatAge(Date.parse(status.now) - Date.parse(leader.renewedAt))}, expires in ${formatDuration(leader.expiresInMs)}`,
    );
  }

  if ("error" in status.instances) blocks.push(`Instances: unreadable (${status.instances.error})`);
  else if (status.instances.length === 0) blocks.push("Instances: no heartbeat recorded yet");
  else {
    blocks.push(
      renderTable(
        ["instance", "host", "pid", "leader", "last heartbeat", "started"],
        status.instances.map((instance) => [
          instance.instanceId,
          instance.host,
          String(instance.pid),
          instance.isLeader ? "yes" : "no",
          `${formatAge(instance.ageMs)}${instance.stale ? " (STALE)" : ""}`,
          instance.startedAt,
        ]),
        { color },
      ),
    );
  }

  if ("error" in status.lanes) blocks.push(`Lanes: unreadable (${status.lanes.error})`);
  else {
    blocks.push(
      renderTable(
        ["lane", "kind", "runs on", "every", "health", "last run", "status", "took", "details"],
        status.lanes.map((lane) => [
          lane.lane,
          lane.kind,
          lane.runsOn,
          formatDuration(lane.intervalMs),
          lane.health === "ok" ? "ok" : lane.health.toUpperCase(),
          lane.lastStartedAt
            ? formatAge(Date.parse(status.now) - Date.parse(lane.lastStartedAt))
            : "never",
          lane.lastRun?.status ?? "-",
          lane.lastRun ? formatDuration(lane.lastRun.durationMs) : "-",
          lane.lastRun ? details(lane.lastRun) : "",
        ]),
        { color },
      ),
    );
  }

  const backlog = status.backlog;
  blocks.push(
    renderTable(
      ["backlog", "count", "oldest"],
      [
        backlogRow("due emails", backlog.dueEmails),
        backlogRow("expired reservations still active", backlog.expiredReservations),
        backlogRow("queued account deletions", backlog.queuedAccountDeletes),
      ],
      { color },
    ),
  );
  return blocks.join("\n");
}

function details(run: { status: string; counters: Record<string, unknown>; error: string | null }) {
  if (run.error) return run.error;
  return Object.entries(run.counters)
    .filter(([key, value]) => key !== "hasMore" && typeof value === "number" && value !== 0)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(", ");
}

function backlogRow(label: string, figure: MikaBacklogStatus): string[] {
  if ("error" in figure) return [label, "?", figure.error];
  return [
    label,
    String(figure.count),
    figure.oldestAgeMs === null ? "-" : formatAge(figure.oldestAgeMs),
  ];
}
