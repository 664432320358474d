import type {
  MikaDashboardBacklog,
  MikaDashboardLane,
  MikaDashboardModel,
} from "./dashboard-model.ts";
import { escapeHtml, formatCount, formatDuration, timeElement } from "./format.ts";
import { renderSparkline, renderTrendLine } from "./sparkline.ts";

const HEALTH_TEXT: Record<string, string> = {
  ok: "OK",
  failed: "Failed",
  abandoned: "Abandoned",
  skipped: "Skipped",
  overdue: "Overdue",
  never_ran: "Never ran",
  disabled: "Disabled",
  paused: "Paused",
};

/** The whole page: header, the live region the script refreshes, and its assets (no CDN). */
export function renderDashboardPage(
  model: MikaDashboardModel,
  options: { basePath: string; refreshMs: number },
): string {
  const base = escapeHtml(options.basePath);
  const token = model.actions.enabled
    ? `<form class="token" id="token-form" autocomplete="off">
        <label for="admin-token">Admin token</label>
        <input id="admin-token" name="admin-token" type="password" autocomplete="off" placeholder="needed for actions">
      </form>`
    : `<p class="readonly" title="Start the server with --admin-token (or MIKA_ADMIN_TOKEN) to enable actions.">Read-only</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>mika-maintenance dashboard</title>
<link rel="stylesheet" href="${base}/dashboard.css">
<script src="${base}/dashboard.js" defer></script>
</head>
<body data-base="${base}" data-refresh-ms="${options.refreshMs}">
<header class="top">
  <h1>mika-maintenance</h1>
  <p class="live" aria-live="polite"><span class="dot" aria-hidden="true"></span><span id="live-text">Live, every ${escapeHtml(formatDuration(options.refreshMs))}</span></p>
  ${token}
</header>
<p id="action-result" class="action-result" role="status" aria-live="polite"></p>
<main id="dashboard" data-now="${escapeHtml(model.now)}">
${renderDashboardFragment(model)}
</main>
<footer class="foot">JSON: <a href="${base}/api/dashboard">/api/dashboard</a> · <a href="${base}/api/status">/api/status</a> · <a href="${base}/metrics">/metrics</a> · <a href="${base}/readyz">/readyz</a></footer>
</body>
</html>
`;
}

/** The part of the page that live updates replace. */
export function renderDashboardFragment(model: MikaDashboardModel): string {
  const nowMs = Date.parse(model.now);
  return [
    `<p class="updated">Updated ${timeElement(model.now, nowMs)}</p>`,
    renderErrors(model),
    renderSummary(model),
    renderLanes(model, nowMs),
    `<div class="columns">${renderBacklog(model.backlog, nowMs)}${renderLeadership(model, nowMs)}</div>`,
    renderFailures(model, nowMs),
  ].join("\n");
}

function renderErrors(model: MikaDashboardModel): string {
  const entries = Object.entries(model.errors);
  if (entries.length === 0) return "";
  return `<div class="alert" role="alert"><strong>Some parts could not be read.</strong><ul>${entries
    .map(([part, error]) => `<li>${escapeHtml(part)}: ${escapeHtml(error)}</li>`)
    .join("")}</ul></div>`;
}

function renderSummary(model: MikaDashboardModel): string {
  const leader = model.leadership.leader;
  const leaderText = leader?.live
    ? `<strong>${escapeHtml(leader.holder)}</strong> <span class="muted">term ${leader.term}</span>`
    : `<strong class="bad">No live leader</strong>`;
  const troubled = model.lanes.filter((lane) =>
    ["failed", "abandoned", "overdue"].includes(lane.health),
  );
  const counts = new Map<string, number>();
  for (const lane of model.lanes) counts.set(lane.health, (counts.get(lane.health) ?? 0) + 1);
  const breakdown = [...counts]
    .filter(([health]) => health !== "ok")
    .map(([health, count]) => `${count} ${(HEALTH_TEXT[health] ?? health).toLowerCase()}`)
    .join(", ");
  const lanesText = troubled.length
    ? `<strong class="bad">${troubled.length} of ${model.lanes.length} need attention</strong>`
    : `<strong class="good">${counts.get("ok") ?? 0} of ${model.lanes.length} OK</strong>`;
  const waiting = model.backlog.reduce((total, figure) => total + (figure.count ?? 0), 0);
  const oldest = Math.max(0, ...model.backlog.map((figure) => figure.oldestAgeMs ?? 0));
  const failures = model.lanes.reduce((total, lane) => total + lane.history.failures, 0);
  return `<section class="summary" aria-label="Summary">
  <div class="tile" id="summary-leader"><span class="label">Leader</span>${leaderText}</div>
  <div class="tile" id="summary-lanes"><span class="label">Lanes</span>${lanesText}${breakdown ? ` <span class="muted">(${escapeHtml(breakdown)})</span>` : ""}</div>
  <div class="tile" id="summary-backlog"><span class="label">Backlog</span><strong>${escapeHtml(formatCount(waiting, "item"))}</strong>${waiting ? ` <span class="muted">oldest ${escapeHtml(formatDuration(oldest))}</span>` : ""}</div>
  <div class="tile" id="summary-failures"><span class="label">Failures, 24 h</span><strong class="${failures ? "bad" : "good"}">${escapeHtml(formatCount(failures, "failure"))}</strong></div>
</section>`;
}

function renderLanes(model: MikaDashboardModel, nowMs: number): string {
  const actions = model.actions.enabled;
  const rows = model.lanes.map((lane) => renderLane(lane, nowMs, actions)).join("\n");
  const truncated = model.historyTruncated
    ? `<p class="muted">The history read reached its limit; the oldest hours may be incomplete.</p>`
    : "";
  return `<section aria-labelledby="lanes-title">
  <h2 id="lanes-title">Lanes</h2>
  <table class="lanes">
    <thead><tr><th scope="col">Lane</th><th scope="col">Health</th><th scope="col">Every</th><th scope="col">Last run</th><th scope="col">Result</th><th scope="col">Next due</th><th scope="col">Last 24 h</th>${actions ? `<th scope="col">Actions</th>` : ""}</tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
  ${truncated}
</section>`;
}

function renderLane(lane: MikaDashboardLane, nowMs: number, actions: boolean): string {
  const run = lane.lastRun;
  const lastRun = run
    ? `${timeElement(run.startedAt, nowMs)} <span class="status status-${escapeHtml(run.status)}">${escapeHtml(run.status)}</span> <span class="muted">in ${escapeHtml(formatDuration(run.durationMs))}</span>`
    : timeElement(lane.lastStartedAt, nowMs);
  const counters = run
    ? Object.entries(run.counters)
        .filter(([, value]) => typeof value === "number" && value > 0)
        .map(([key, value]) => `${escapeHtml(key)} ${escapeHtml(value)}`)
        .join(", ") || `<span class="muted">nothing to do</span>`
    : `<span class="muted">–</span>`;
  const error = run?.error
    ? `<div class="error" title="${escapeHtml(run.error)}">${escapeHtml(run.error.length > 140 ? `${run.error.slice(0, 140)}…` : run.error)}</div>`
    : "";
  const nextDue = !lane.enabled
    ? `<span class="muted">disabled</span>`
    : lane.paused
      ? `<span class="muted">paused by ${escapeHtml(lane.paused.pausedBy)} ${timeElement(lane.paused.pausedAt, nowMs)}</span>`
      : !lane.lastStartedAt
        ? `<span class="muted">at the next start</span>`
        : lane.nextDueAt
          ? `${timeElement(lane.nextDueAt, nowMs)}${lane.overdue ? ` <strong class="bad">overdue by ${escapeHtml(formatDuration(lane.overdueByMs))}</strong>` : ""}`
          : `<span class="muted">–</span>`;
  const buttons = actions
    ? `<td data-label="Actions" class="actions">
        <button type="button" data-action="run" data-lane="${escapeHtml(lane.lane)}" aria-label="Run ${escapeHtml(lane.lane)} now"${lane.enabled ? "" : " disabled"}>Run now</button>
        ${
          lane.paused
            ? `<button type="button" data-action="resume" data-lane="${escapeHtml(lane.lane)}" aria-label="Resume ${escapeHtml(lane.lane)}">Resume</button>`
            : `<button type="button" data-action="pause" data-lane="${escapeHtml(lane.lane)}" aria-label="Pause ${escapeHtml(lane.lane)}">Pause</button>`
        }
      </td>`
    : "";
  return `      <tr id="lane-${escapeHtml(lane.lane)}" data-lane="${escapeHtml(lane.lane)}" data-health="${escapeHtml(lane.health)}" class="health-${escapeHtml(lane.health)}">
        <th scope="row" data-label="Lane"><span class="lane-name">${escapeHtml(lane.lane)}</span> <span class="kind">${escapeHtml(lane.kind)}</span></th>
        <td data-label="Health"><span class="badge badge-${escapeHtml(lane.health)}">${escapeHtml(HEALTH_TEXT[lane.health] ?? lane.health)}</span></td>
        <td data-label="Every">${escapeHtml(formatDuration(lane.intervalMs))}</td>
        <td data-label="Last run" class="last-run">${lastRun}</td>
        <td data-label="Result" class="counters">${counters}${error}</td>
        <td data-label="Next due" class="next-due">${nextDue}</td>
        <td data-label="Last 24 h">${renderSparkline(lane.lane, lane.history.buckets, lane.history)}</td>
        ${buttons}
      </tr>`;
}

function renderBacklog(backlog: MikaDashboardBacklog[], nowMs: number): string {
  const rows = backlog
    .map((figure) => {
      if (figure.error) {
        return `<tr id="backlog-${escapeHtml(figure.key)}"><th scope="row">${escapeHtml(figure.label)}</th><td colspan="3" class="bad">${escapeHtml(figure.error)}</td></tr>`;
      }
      const trend = figure.trend;
      const arrow =
        trend.direction === "rising"
          ? `<span class="bad">▲ +${trend.delta}</span>`
          : trend.direction === "falling"
            ? `<span class="good">▼ ${trend.delta}</span>`
            : trend.direction === "steady"
              ? `<span class="muted">steady</span>`
              : `<span class="muted">no trend yet</span>`;
      const since = trend.sinceMs
        ? ` <span class="muted">over ${escapeHtml(formatDuration(trend.sinceMs))}</span>`
        : "";
      const trendLabel = `${figure.label}, recent counts: ${trend.samples.join(", ")}`;
      return `<tr id="backlog-${escapeHtml(figure.key)}" data-count="${figure.count}">
        <th scope="row">${escapeHtml(figure.label)}</th>
        <td class="num">${escapeHtml(formatCount(figure.count ?? 0, "item"))}</td>
        <td>${figure.oldestAt ? `oldest ${escapeHtml(formatDuration(figure.oldestAgeMs ?? 0))} <span class="muted">(${timeElement(figure.oldestAt, nowMs)})</span>` : `<span class="muted">empty</span>`}</td>
        <td>${arrow}${since} ${renderTrendLine(trendLabel, trend.samples)}</td>
      </tr>`;
    })
    .join("\n");
  return `<section aria-labelledby="backlog-title">
  <h2 id="backlog-title">Backlog</h2>
  <table class="backlog">
    <thead><tr><th scope="col">Backlog</th><th scope="col">Waiting</th><th scope="col">Oldest</th><th scope="col">Trend</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}

function renderLeadership(model: MikaDashboardModel, nowMs: number): string {
  const { leader, instances, leaderName, staleInstances } = model.leadership;
  const leaderLine = leader
    ? `<p id="leader" data-holder="${escapeHtml(leader.holder)}" data-term="${leader.term}" data-live="${leader.live}">${
        leader.live
          ? `<strong>${escapeHtml(leader.holder)}</strong> leads <span class="muted">(term ${leader.term}, since ${timeElement(leader.acquiredAt, nowMs)}, lease expires ${timeElement(leader.expiresAt, nowMs)})</span>`
          : `<strong class="bad">No live leader.</strong> <span class="muted">The last, ${escapeHtml(leader.holder)} (term ${leader.term}), let its lease run out ${timeElement(leader.expiresAt, nowMs)}.</span>`
      }</p>`
    : `<p id="leader" data-live="false"><strong class="bad">No leader has ever been elected</strong> for “${escapeHtml(leaderName)}”.</p>`;
  const rows = instances
    .map(
      (
        instance,
      ) => `<tr class="${instance.stale ? "stale" : ""}" data-instance="${escapeHtml(instance.instanceId)}">
        <th scope="row">${escapeHtml(instance.instanceId)}${instance.isLeader ? ` <span class="badge badge-ok">leader</span>` : ""}</th>
        <td>${escapeHtml(instance.host)} <span class="muted">pid ${instance.pid}</span></td>
        <td>${timeElement(instance.lastBeatAt, nowMs)}</td>
        <td>${instance.stale ? `<span class="badge badge-failed">stale</span>` : `<span class="badge badge-ok">live</span>`}</td>
      </tr>`,
    )
    .join("\n");
  return `<section aria-labelledby="leadership-title">
  <h2 id="leadership-title">Leadership</h2>
  ${leaderLine}
  <table class="instances">
    <thead><tr><th scope="col">Instance</th><th scope="col">Host</th><th scope="col">Last heartbeat</th><th scope="col">State</th></tr></thead>
    <tbody>${rows || `<tr><td colspan="4" class="muted">No heartbeats recorded.</td></tr>`}</tbody>
  </table>
  ${staleInstances ? `<p class="muted">${escapeHtml(formatCount(staleInstances, "instance"))} stale (no heartbeat for 30 s); they are gone or stuck.</p>` : ""}
</section>`;
}

function renderFailures(model: MikaDashboardModel, nowMs: number): string {
  const rows = model.failures
    .map(
      (run) => `<tr>
        <td data-label="When">${timeElement(run.startedAt, nowMs)}</td>
        <th scope="row" data-label="Lane">${escapeHtml(run.lane)}</th>
        <td data-label="Status"><span class="status status-${escapeHtml(run.status)}">${escapeHtml(run.status)}</span></td>
        <td data-label="Instance" class="muted">${escapeHtml(run.instanceId)}</td>
        <td data-label="Error" class="error-text">${escapeHtml(run.error ?? "")}</td>
      </tr>`,
    )
    .join("\n");
  return `<section aria-labelledby="failures-title">
  <h2 id="failures-title">Failures, last 24 h</h2>
  ${
    rows
      ? `<table class="failures"><thead><tr><th scope="col">When</th><th scope="col">Lane</th><th scope="col">Status</th><th scope="col">Instance</th><th scope="col">Error</th></tr></thead><tbody>${rows}</tbody></table>`
      : `<p class="good" id="no-failures">No failed or abandoned pass in the last 24 h.</p>`
  }
</section>`;
}
