import type { MikaMaintenanceTaskKey } from "@mika-maintenance/core";
import { describeMoved, formatDuration } from "../render/format.ts";
import { type MikaCliColor, paint } from "../setup/color.ts";

const LEVEL_COLORS: Record<string, MikaCliColor> = {
  trace: "grey",
  debug: "grey",
  info: "green",
  warn: "yellow",
  error: "red",
  fatal: "red",
};

type Record_ = Record<string, unknown> & { level?: string; time?: string; msg?: string };

/**
 * One pino JSON record as one readable terminal line: `10:42:01 INFO  stockReservations
 * completed in 12 ms: released 3 reservations`. Known runtime events get a sentence; anything
 * else prints its message and `key=value` fields. A line that is not JSON passes through.
 */
export function formatLogLine(json: string, color: boolean): string {
  let record: Record_;
  try {
    record = JSON.parse(json) as Record_;
  } catch {
    return json;
  }
  const { level = "info", time, msg = "", ...fields } = record;
  const clock = typeof time === "string" ? time.slice(11, 19) : "--:--:--";
  const label = paint(level.toUpperCase().padEnd(5), LEVEL_COLORS[level] ?? "grey", color);
  return `${paint(clock, "grey", color)} ${label} ${sentence(msg, fields, color)}`;
}

function sentence(msg: string, fields: Record<string, unknown>, color: boolean): string {
  const text = (key: string) => String(fields[key] ?? "");
  switch (msg) {
    case "maintenance pass": {
      const lane = text("lane") as MikaMaintenanceTaskKey;
      const status = text("status");
      const took = formatDuration(Number(fields.durationMs));
      if (status === "completed") {
        const counters = (fields.counters ?? {}) as Record<string, unknown>;
        return `${paint(lane, "bold", color)} completed in ${took}: ${describeMoved(lane, counters)}`;
      }
      const why = text("error") || text("reason");
      const shown = `${lane} ${status.toUpperCase()} after ${took}: ${why}`;
      return status === "skipped" ? shown : paint(shown, "red", color);
    }
    case "maintenance runtime started": {
      const lanes = (fields.lanes ?? []) as { lane: string; intervalMs: number }[];
      return `started ${text("instanceId")} on ${text("database")}: ${lanes.length} lanes (${lanes.map((lane) => `${lane.lane} every ${formatDuration(lane.intervalMs)}`).join(", ")})`;
    }
    case "maintenance runtime stopped":
      return `stopped ${text("instanceId")} after ${text("passes")} passes and ${text("terms")} term(s) as leader`;
    case "shutdown requested":
      return `${text("signal")}: shutting down (passes stop at a batch boundary, then leadership is resigned)`;
    case "leadership.acquired":
      return `${text("instanceId")} leads now (term ${text("term")})`;
    case "leadership.waiting":
      return `waiting for leader ${text("leader")} (term ${text("term")}, lease until ${text("expiresAt").slice(11, 19)})`;
    case "leadership.lost":
      return paint(`lost leadership (term ${text("term")}): ${text("reason")}`, "yellow", color);
    case "leadership.resigned":
      return `resigned leadership (term ${text("term")})`;
    case "runtime.error":
      return paint(`${text("where")} failed: ${text("error")}`, "red", color);
    default:
      return [msg, ...Object.entries(fields).map(([key, value]) => `${key}=${show(value)}`)].join(
        " ",
      );
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}
