import type { MikaBacklogStatus, MikaMaintenanceStatus } from "@mika-maintenance/core";
import { paint } from "../setup/color.ts";
import { formatAge, formatDuration } from "./format.ts";
import { type MikaTableOptions, renderTable } from "./table.ts";

/** `status` for a person: leader, instances, lanes and backlogs; trouble in colour. */
export function renderStatus(status: MikaMaintenanceStatus, options: MikaTableOptions): string {
  const { color } = options;
  const blocks: string[] = [`mika-maintenance status at ${status.now}`];

  const leader = status.leader;
  if (leader === null)
    blocks.push(
      `Leader: none yet (no process has run \`mika-maintenance run\` on "${status.leaderName}")`,
    );
  else if ("error" in leader) blocks.push(`Leader: unreadable (${leader.error})`);
  else if (!leader.live && leader.ended === "resigned") {
    blocks.push(
      `Leader: none — the last leader ${leader.holder} (term ${leader.term}) shut down and resigned ${formatAge(-leader.expiresInMs)}`,
    );
  } else if (!leader.live) {
    blocks.push(
      paint(
        `Leader: none — the last leader ${leader.holder} (term ${leader.term}) stopped renewing; its lease lapsed ${formatAge(-leader.expiresInMs)}`,
        "yellow",
        color,
      ),
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
          instance.stale
            ? paint(`${formatAge(instance.ageMs)} (STALE)`, "yellow", color)
            : formatAge(instance.ageMs),
          instance.startedAt,
        ]),
        options,
      ),
    );
  }

  if (status.lanesError)
    blocks.push(paint(`Lanes: unreadable (${status.lanesError})`, "red", color));
  blocks.push(
    renderTable(
      ["lane", "kind", "runs on", "every", "health", "last run", "status", "took", "details"],
      status.lanes.map((lane) => [
        lane.lane,
        lane.kind,
        lane.runsOn,
        formatDuration(lane.intervalMs),
        healthCell(lane.health, color),
        lane.lastStartedAt
          ? formatAge(Date.parse(status.now) - Date.parse(lane.lastStartedAt))
          : "never",
        lane.lastRun?.status ?? "-",
        lane.lastRun ? formatDuration(lane.lastRun.durationMs) : "-",
        lane.lastRun ? details(lane.lastRun) : "",
      ]),
      options,
    ),
  );

  const backlog = status.backlog;
  blocks.push(
    renderTable(
      ["backlog", "count", "oldest"],
      [
        backlogRow("due emails", backlog.dueEmails),
        backlogRow("expired reservations still active", backlog.expiredReservations),
        backlogRow("queued account deletions", backlog.queuedAccountDeletes),
        backlogRow("blocked account deletions, 30 days", backlog.blockedAccountDeletes),
        backlogRow("ACP sessions past TTL", backlog.acpSessionsPastTtl),
      ],
      options,
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

const TROUBLE = new Set(["failed", "abandoned", "overdue", "unknown"]);

function healthCell(health: string, color: boolean): string {
  if (health === "ok") return paint("ok", "green", color);
  const label = health.toUpperCase();
  return TROUBLE.has(health) ? paint(label, "red", color) : label;
}
