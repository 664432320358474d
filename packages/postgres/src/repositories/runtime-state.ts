import {
  laneRunHourOf,
  laneRunHoursCutoffOf,
  type MikaLanePause,
  type MikaLaneRunHour,
  type MikaLaneRunRecord,
  type MikaLaneRunStatus,
  type MikaLaneState,
  type MikaRuntimeHeartbeat,
  type MikaRuntimeStatePort,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type {
  LanePausesTable,
  LaneRunHoursTable,
  LaneRunsTable,
  LaneStatesTable,
  RuntimeHeartbeatsTable,
} from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { jsonParam, toIso, toIsoOrNull, toMetadata, toNumber } from "./convert.ts";

function toHeartbeat(row: Selectable<RuntimeHeartbeatsTable>): MikaRuntimeHeartbeat {
  return {
    instanceId: row.instance_id,
    host: row.host,
    pid: toNumber(row.pid),
    startedAt: toIso(row.started_at),
    lastBeatAt: toIso(row.last_beat_at),
    isLeader: row.is_leader,
  };
}

function toLaneState(row: Selectable<LaneStatesTable>): MikaLaneState {
  return {
    lane: row.lane,
    lastStartedAt: toIsoOrNull(row.last_started_at),
    lastHolder: row.last_holder,
  };
}

function toLaneRun(row: Selectable<LaneRunsTable>): MikaLaneRunRecord {
  return {
    id: row.id,
    lane: row.lane,
    instanceId: row.instance_id,
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
    durationMs: toNumber(row.duration_ms),
    status: row.status as MikaLaneRunStatus,
    counters: toMetadata(row.counters),
    error: row.error,
  };
}

function toLaneRunHour(row: Selectable<LaneRunHoursTable>): MikaLaneRunHour {
  return {
    lane: row.lane,
    hourStartAt: toIso(row.hour_start),
    passes: toNumber(row.passes),
    moved: toNumber(row.moved),
    failures: toNumber(row.failures),
  };
}

function toLanePause(row: Selectable<LanePausesTable>): MikaLanePause {
  return { lane: row.lane, pausedAt: toIso(row.paused_at), pausedBy: row.paused_by };
}

/** `repositories.runtimeState`: heartbeats, lane claims and lane runs of the runtime. */
export function createPostgresRuntimeState({
  db,
}: PostgresRepositoryContext): MikaRuntimeStatePort {
  const laneRuns = sql.table("lane_runs");
  const laneStates = sql.table("lane_states");
  const laneRunHours = sql.table("lane_run_hours");
  /** Distinct lanes by a loose index scan: one index probe per lane, not one per run. */
  const lanes = sql`
    lanes (lane) as (
      (select lane from ${laneRuns} order by lane limit 1)
      union all
      select (select r.lane from ${laneRuns} r where r.lane > lanes.lane order by r.lane limit 1)
      from lanes where lanes.lane is not null
    )`;

  return {
    async recordHeartbeat(heartbeat) {
      const values = {
        instance_id: heartbeat.instanceId,
        host: heartbeat.host,
        pid: heartbeat.pid,
        started_at: portInput.requireTime(heartbeat.startedAt, "startedAt"),
        last_beat_at: portInput.requireTime(heartbeat.lastBeatAt, "lastBeatAt"),
        is_leader: heartbeat.isLeader,
      };
      await db
        .insertInto("runtime_heartbeats")
        .values(values)
        .onConflict((conflict) =>
          conflict.column("instance_id").doUpdateSet({
            host: values.host,
            pid: values.pid,
            started_at: values.started_at,
            last_beat_at: values.last_beat_at,
            is_leader: values.is_leader,
          }),
        )
        .execute();
    },

    async listHeartbeats(input) {
      const limit = portInput.requireLimit(input.limit, "limit");
      if (limit === 0) return [];
      const rows = await db
        .selectFrom("runtime_heartbeats")
        .selectAll()
        .orderBy("last_beat_at", "desc")
        .orderBy("instance_id")
        .limit(limit)
        .execute();
      return rows.map(toHeartbeat);
    },

    async pruneHeartbeats(input) {
      const result = await db
        .deleteFrom("runtime_heartbeats")
        .where("last_beat_at", "<", portInput.requireTime(input.before, "before"))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async claimLane(input) {
      const now = portInput.requireTime(input.now, "now");
      const expected = portInput.optionalTime(input.expectedLastStartedAt, "expectedLastStartedAt");
      if (expected !== null) {
        const row = await db
          .updateTable("lane_states")
          .set({ last_started_at: now, last_holder: input.holder })
          .where("lane", "=", input.lane)
          .where("last_started_at", "=", expected)
          .returningAll()
          .executeTakeFirst();
        return row ? toLaneState(row) : null;
      }
      // "Never ran": create the lane, or take it if it exists without a start. The WHERE is
      // re-checked after any row-lock wait, so two first claims cannot both win.
      const { rows } = await sql<Selectable<LaneStatesTable>>`
        insert into ${laneStates} as s (lane, last_started_at, last_holder)
        values (${input.lane}, ${now}, ${input.holder})
        on conflict (lane) do update set
          last_started_at = excluded.last_started_at,
          last_holder = excluded.last_holder
        where s.last_started_at is null
        returning *
      `.execute(db);
      const row = rows[0];
      return row ? toLaneState(row) : null;
    },

    async listLaneStates() {
      const rows = await db.selectFrom("lane_states").selectAll().orderBy("lane").execute();
      return rows.map(toLaneState);
    },

    async recordLaneRun(run) {
      const startedAt = portInput.requireTime(run.startedAt, "startedAt");
      const finishedAt = portInput.requireTime(run.finishedAt, "finishedAt");
      const hour = laneRunHourOf({ ...run, startedAt });
      const cutoff = laneRunHoursCutoffOf({ ...run, startedAt });
      // One statement: the run, its hour and the lane's expired hours commit together.
      await sql`
        with run as (
          insert into ${laneRuns}
            (id, lane, instance_id, started_at, finished_at, duration_ms, status, counters, error)
          values (${run.id}, ${run.lane}, ${run.instanceId}, ${startedAt}, ${finishedAt},
            ${run.durationMs}, ${run.status}, ${jsonParam(run.counters)}, ${run.error ?? null})
          returning lane
        ),
        hour as (
          insert into ${laneRunHours} as h (lane, hour_start, passes, moved, failures)
          select lane, ${hour.hourStartAt}::timestamptz, ${hour.passes}::bigint, ${hour.moved}::bigint,
            ${hour.failures}::bigint
          from run
          on conflict (lane, hour_start) do update set
            passes = h.passes + excluded.passes,
            moved = h.moved + excluded.moved,
            failures = h.failures + excluded.failures
          returning 1
        )
        delete from ${laneRunHours}
        where lane = (select lane from run) and hour_start < ${cutoff}::timestamptz
      `.execute(db);
    },

    async listLaneRuns(input) {
      const perLane = portInput.requireLimit(input.perLane, "perLane");
      if (perLane === 0) return [];
      const { rows } = await sql<Selectable<LaneRunsTable>>`
        with recursive ${lanes}
        select r.* from lanes
        cross join lateral (
          select * from ${laneRuns} x
          where x.lane = lanes.lane
          order by x.started_at desc, x.id desc
          limit ${perLane}
        ) r
        where lanes.lane is not null
        order by r.started_at desc, r.lane, r.id desc
      `.execute(db);
      return rows.map(toLaneRun);
    },

    async pruneLaneRuns(input) {
      const keep = portInput.requireLimit(input.keepPerLane, "keepPerLane");
      const { rows } = await sql<{ n: string | number }>`
        with recursive ${lanes},
        doomed as (
          select x.id from lanes
          cross join lateral (
            select id from ${laneRuns} y
            where y.lane = lanes.lane
            order by y.started_at desc, y.id desc
            offset ${keep}
          ) x
          where lanes.lane is not null
        ),
        deleted as (
          delete from ${laneRuns} where id = any(array(select id from doomed)) returning 1
        )
        select count(*) as n from deleted
      `.execute(db);
      return toNumber(rows[0]?.n ?? 0);
    },

    async listLaneRunHistory(input) {
      const since = portInput.requireTime(input.since, "since");
      const limit = portInput.requireLimit(input.limit, "limit");
      if (limit === 0) return [];
      let query = db
        .selectFrom("lane_runs")
        .selectAll()
        .where("started_at", ">=", since)
        .orderBy("started_at", "desc")
        .orderBy("lane")
        .orderBy("id", "desc")
        .limit(limit);
      if (input.lane !== undefined)
        query = query.where("lane", "=", portInput.requireText(input.lane, "lane"));
      return (await query.execute()).map(toLaneRun);
    },

    async listLaneRunHours(input) {
      const since = portInput.requireTime(input.since, "since");
      const limit = portInput.requireLimit(input.limit, "limit");
      if (limit === 0) return [];
      let query = db
        .selectFrom("lane_run_hours")
        .selectAll()
        .where("hour_start", ">=", since)
        .orderBy("hour_start")
        .orderBy("lane")
        .limit(limit);
      if (input.lane !== undefined)
        query = query.where("lane", "=", portInput.requireText(input.lane, "lane"));
      return (await query.execute()).map(toLaneRunHour);
    },

    async setLanePaused(input) {
      const { lane, by, now, paused } = portInput.requireLanePause(input);
      if (!paused) {
        await db.deleteFrom("lane_pauses").where("lane", "=", lane).execute();
        return null;
      }
      // The first pause wins: a second click never rewrites who paused it and when.
      await db
        .insertInto("lane_pauses")
        .values({ lane, paused_at: now, paused_by: by })
        .onConflict((conflict) => conflict.column("lane").doNothing())
        .execute();
      const row = await db
        .selectFrom("lane_pauses")
        .selectAll()
        .where("lane", "=", lane)
        .executeTakeFirst();
      return row ? toLanePause(row) : null;
    },

    async listLanePauses() {
      const rows = await db.selectFrom("lane_pauses").selectAll().orderBy("lane").execute();
      return rows.map(toLanePause);
    },
  };
}
