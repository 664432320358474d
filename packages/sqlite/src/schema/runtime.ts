import type { MikaLaneRunStatus, MikaMetadata } from "@mika-maintenance/core";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** One leadership lease row per name. */
export function leadershipLeasesTable(prefix: string) {
  return sqliteTable(`${prefix}leadership_leases`, {
    name: text("name").primaryKey(),
    holder: text("holder").notNull(),
    term: integer("term").notNull(),
    acquiredAt: isoTime("acquired_at").notNull(),
    renewedAt: isoTime("renewed_at").notNull(),
    expiresAt: isoTime("expires_at").notNull(),
  });
}

/** Liveness records of maintenance processes. */
export function runtimeHeartbeatsTable(prefix: string) {
  const name = `${prefix}runtime_heartbeats`;
  return sqliteTable(
    name,
    {
      instanceId: text("instance_id").primaryKey(),
      host: text("host").notNull(),
      pid: integer("pid").notNull(),
      startedAt: isoTime("started_at").notNull(),
      lastBeatAt: isoTime("last_beat_at").notNull(),
      isLeader: integer("is_leader", { mode: "boolean" }).notNull(),
    },
    (t) => [index(`${name}_last_beat_idx`).on(t.lastBeatAt)],
  );
}

/** Per-lane scheduling state shared by every process. */
export function laneStatesTable(prefix: string) {
  return sqliteTable(`${prefix}lane_states`, {
    lane: text("lane").primaryKey(),
    lastStartedAt: isoTime("last_started_at"),
    lastHolder: text("last_holder"),
  });
}

/** One record per pass of a maintenance lane. */
export function laneRunsTable(prefix: string) {
  const name = `${prefix}lane_runs`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      lane: text("lane").notNull(),
      instanceId: text("instance_id").notNull(),
      startedAt: isoTime("started_at").notNull(),
      finishedAt: isoTime("finished_at").notNull(),
      durationMs: real("duration_ms").notNull(),
      status: text("status").$type<MikaLaneRunStatus>().notNull(),
      counters: jsonText("counters").$type<MikaMetadata>().notNull(),
      error: text("error"),
    },
    (t) => [
      index(`${name}_lane_idx`).on(t.lane, t.startedAt, t.id),
      index(`${name}_started_idx`).on(t.startedAt, t.id),
    ],
  );
}

/** Each lane's passes summed per UTC hour, written with every run and kept for a week. */
export function laneRunHoursTable(prefix: string) {
  const name = `${prefix}lane_run_hours`;
  return sqliteTable(
    name,
    {
      lane: text("lane").notNull(),
      hourStartAt: isoTime("hour_start").notNull(),
      passes: integer("passes").notNull(),
      moved: integer("moved").notNull(),
      failures: integer("failures").notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.lane, t.hourStartAt] }),
      index(`${name}_hour_idx`).on(t.hourStartAt, t.lane),
    ],
  );
}

/** Lanes an operator paused; every replica skips their scheduled passes. */
export function lanePausesTable(prefix: string) {
  return sqliteTable(`${prefix}lane_pauses`, {
    lane: text("lane").primaryKey(),
    pausedAt: isoTime("paused_at").notNull(),
    pausedBy: text("paused_by").notNull(),
  });
}
