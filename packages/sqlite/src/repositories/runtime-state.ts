import {
  type ISODateTime,
  laneRunHourOf,
  laneRunHoursCutoffOf,
  type MikaLaneRunRecord,
  type MikaRuntimeStatePort,
} from "@mika-maintenance/core";
import { and, asc, desc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import type { MikaSqliteDatabase, MikaSqliteDrizzle } from "../database.ts";
import {
  optionalTime,
  requireLanePause,
  requireLimit,
  requireOneOf,
  requireText,
  requireTime,
} from "../input.ts";
import { LANE_RUN_STATUSES } from "../statuses.ts";
import { changes } from "./sql-helpers.ts";

/** `repositories.runtimeState`: heartbeats, lane claims and lane run history. */
export function createSqliteRuntimeState(database: MikaSqliteDatabase): MikaRuntimeStatePort {
  const {
    runtimeHeartbeats: beats,
    laneStates: lanes,
    laneRuns: runs,
    laneRunHours: hours,
    lanePauses: pauses,
  } = database.tables;

  /** Every lane that has runs, each found by one index seek (no scan of the runs table). */
  async function lanesWithRuns(db: MikaSqliteDrizzle): Promise<string[]> {
    const lane = sql.identifier(runs.lane.name);
    const rows = await db.all<{ lane: string }>(sql`
      with recursive seen(lane) as (
        select min(${lane}) from ${runs}
        union all
        select (select min(${lane}) from ${runs} where ${lane} > seen.lane)
        from seen where seen.lane is not null
      )
      select lane from seen where lane is not null`);
    return rows.map((row) => row.lane);
  }

  /** The newest `count` runs of `lane` (newest first), by its index. */
  function newestRuns(db: MikaSqliteDrizzle, lane: string, count: number) {
    return db
      .select()
      .from(runs)
      .where(eq(runs.lane, lane))
      .orderBy(desc(runs.startedAt), desc(runs.id))
      .limit(count);
  }

  return {
    async recordHeartbeat(heartbeat) {
      const row = {
        instanceId: requireText(heartbeat.instanceId, "instanceId"),
        host: String(heartbeat.host),
        pid: heartbeat.pid,
        startedAt: requireTime(heartbeat.startedAt, "startedAt"),
        lastBeatAt: requireTime(heartbeat.lastBeatAt, "lastBeatAt"),
        isLeader: Boolean(heartbeat.isLeader),
      };
      await database.run((db) =>
        db
          .insert(beats)
          .values(row)
          .onConflictDoUpdate({
            target: beats.instanceId,
            set: {
              host: row.host,
              pid: row.pid,
              startedAt: row.startedAt,
              lastBeatAt: row.lastBeatAt,
              isLeader: row.isLeader,
            },
          }),
      );
    },

    async listHeartbeats(input) {
      const limit = requireLimit(input.limit);
      if (limit === 0) return [];
      return database.run((db) =>
        db.select().from(beats).orderBy(desc(beats.lastBeatAt), asc(beats.instanceId)).limit(limit),
      );
    },

    async pruneHeartbeats(input) {
      const before = requireTime(input.before, "before");
      return database.run(async (db) => {
        const result = await db.delete(beats).where(lt(beats.lastBeatAt, before));
        return changes(result);
      });
    },

    async claimLane(input) {
      const lane = requireText(input.lane, "lane");
      const holder = requireText(input.holder, "holder");
      const now = requireTime(input.now, "now");
      const expected = optionalTime(input.expectedLastStartedAt, "expectedLastStartedAt");
      return database.run(async (db) => {
        if (expected === null) {
          // Never ran: only the first claimer inserts (or fills a row that never started).
          const [claimed] = await db
            .insert(lanes)
            .values({ lane, lastStartedAt: now, lastHolder: holder })
            .onConflictDoUpdate({
              target: lanes.lane,
              set: { lastStartedAt: now, lastHolder: holder },
              setWhere: isNull(lanes.lastStartedAt),
            })
            .returning();
          return claimed ?? null;
        }
        const [claimed] = await db
          .update(lanes)
          .set({ lastStartedAt: now, lastHolder: holder })
          .where(and(eq(lanes.lane, lane), eq(lanes.lastStartedAt, expected)))
          .returning();
        return claimed ?? null;
      });
    },

    async listLaneStates() {
      // One row per lane of the runtime (a handful), so this is never a large read.
      return database.run((db) => db.select().from(lanes).orderBy(asc(lanes.lane)));
    },

    async recordLaneRun(run) {
      const row: MikaLaneRunRecord = {
        id: requireText(run.id, "id"),
        lane: requireText(run.lane, "lane"),
        instanceId: String(run.instanceId),
        startedAt: requireTime(run.startedAt, "startedAt"),
        finishedAt: requireTime(run.finishedAt, "finishedAt"),
        durationMs: run.durationMs,
        status: requireOneOf(run.status, LANE_RUN_STATUSES, "status"),
        counters: run.counters ?? {},
        error: run.error ?? null,
      };
      const hour = laneRunHourOf(row);
      const cutoff = laneRunHoursCutoffOf(row);
      // The run, its hour and the lane's expired hours commit together, as one batch.
      await database.run((db) =>
        db.batch([
          db.insert(runs).values(row),
          db
            .insert(hours)
            .values(hour)
            .onConflictDoUpdate({
              target: [hours.lane, hours.hourStartAt],
              set: {
                passes: sql`${hours.passes} + ${hour.passes}`,
                moved: sql`${hours.moved} + ${hour.moved}`,
                failures: sql`${hours.failures} + ${hour.failures}`,
              },
            }),
          db.delete(hours).where(and(eq(hours.lane, row.lane), lt(hours.hourStartAt, cutoff))),
        ]),
      );
    },

    async listLaneRuns(input) {
      const perLane = requireLimit(input.perLane, "perLane");
      if (perLane === 0) return [];
      return database.run(async (db) => {
        const result: MikaLaneRunRecord[] = [];
        for (const lane of await lanesWithRuns(db)) {
          result.push(...(await newestRuns(db, lane, perLane)));
        }
        // Newest first across lanes, then lane, then id (newest id first), as every adapter.
        return result.sort((a, b) => {
          if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
          if (a.lane !== b.lane) return a.lane < b.lane ? -1 : 1;
          return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
        });
      });
    },

    async pruneLaneRuns(input) {
      const keepPerLane = requireLimit(input.keepPerLane, "keepPerLane");
      return database.run(async (db) => {
        const [first, ...rest] = (await lanesWithRuns(db)).map((lane) =>
          db.run(sql`
            delete from ${runs} where ${runs.id} in (
              select ${runs.id} from ${runs} where ${runs.lane} = ${lane}
              order by ${runs.startedAt} desc, ${runs.id} desc
              limit -1 offset ${keepPerLane})`),
        );
        if (!first) return 0;
        // One batch: every lane pruned together (a lane that starts meanwhile has few runs).
        const results = await db.batch([first, ...rest]);
        return results.reduce((pruned, result) => pruned + changes(result), 0);
      });
    },

    async listLaneRunHistory(input) {
      const query = laneWindow(input);
      if (!query) return [];
      const { lane, since, limit } = query;
      const laneMatches = lane === undefined ? undefined : eq(runs.lane, lane);
      return database.run((db) =>
        db
          .select()
          .from(runs)
          .where(and(laneMatches, gte(runs.startedAt, since)))
          .orderBy(desc(runs.startedAt), asc(runs.lane), desc(runs.id))
          .limit(limit),
      );
    },

    async listLaneRunHours(input) {
      const query = laneWindow(input);
      if (!query) return [];
      const { lane, since, limit } = query;
      const laneMatches = lane === undefined ? undefined : eq(hours.lane, lane);
      return database.run((db) =>
        db
          .select()
          .from(hours)
          .where(and(laneMatches, gte(hours.hourStartAt, since)))
          .orderBy(asc(hours.hourStartAt), asc(hours.lane))
          .limit(limit),
      );
    },

    async setLanePaused(input) {
      const { lane, by, now, paused } = requireLanePause(input);
      return database.run(async (db) => {
        if (!paused) {
          await db.delete(pauses).where(eq(pauses.lane, lane));
          return null;
        }
        // The first pause wins: a second click never rewrites who paused it and when.
        await db
          .insert(pauses)
          .values({ lane, pausedAt: now, pausedBy: by })
          .onConflictDoNothing({ target: pauses.lane });
        const [pause] = await db.select().from(pauses).where(eq(pauses.lane, lane));
        return pause ?? null;
      });
    },

    async listLanePauses() {
      // One row per paused lane (a handful at most).
      return database.run((db) => db.select().from(pauses).orderBy(asc(pauses.lane)));
    },
  };
}

/** A bounded read of one lane (or all) since an instant, validated; null when limit is 0. */
function laneWindow(input: { since: ISODateTime; limit: number; lane?: string }) {
  const since = requireTime(input.since, "since");
  const limit = requireLimit(input.limit);
  const lane = input.lane === undefined ? undefined : requireText(input.lane, "lane");
  return limit === 0 ? null : { since, limit, lane };
}
