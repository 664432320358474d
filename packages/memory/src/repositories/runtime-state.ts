import {
  laneRunHourOf,
  laneRunHoursCutoffOf,
  MIKA_LANE_RUN_STATUSES,
  type MikaLanePause,
  type MikaLaneRunRecord,
  type MikaLaneState,
  type MikaRuntimeStatePort,
} from "@mika-maintenance/core";
import { copy, insertRow, sortRows } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

/** Newest first: `startedAt` descending, then lane and id for a stable order. */
function newestFirst(runs: MikaLaneRunRecord[]): MikaLaneRunRecord[] {
  return runs.sort((a, b) => {
    if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
    if (a.lane !== b.lane) return a.lane < b.lane ? -1 : 1;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
}

/** `repositories.runtimeState`: heartbeats, lane claims and lane run history. */
export function createMemoryRuntimeState(state: MemoryState): MikaRuntimeStatePort {
  const heartbeats = state.tables.heartbeats;
  const laneStates = state.tables.laneStates;
  const laneRuns = state.tables.laneRuns;
  const lanePauses = state.tables.lanePauses;
  const laneRunHours = state.tables.laneRunHours;

  /** Each lane's runs beyond its newest `keep`. */
  function runsBeyond(keep: number): { kept: MikaLaneRunRecord[]; dropped: MikaLaneRunRecord[] } {
    const seen = new Map<string, number>();
    const kept: MikaLaneRunRecord[] = [];
    const dropped: MikaLaneRunRecord[] = [];
    for (const run of newestFirst([...laneRuns.values()])) {
      const count = seen.get(run.lane) ?? 0;
      seen.set(run.lane, count + 1);
      (count < keep ? kept : dropped).push(run);
    }
    return { kept, dropped };
  }

  return {
    async recordHeartbeat(heartbeat) {
      const instanceId = portInput.requireText(heartbeat.instanceId, "instanceId");
      heartbeats.set(instanceId, {
        ...copy(heartbeat),
        instanceId,
        startedAt: portInput.requireTime(heartbeat.startedAt, "startedAt"),
        lastBeatAt: portInput.requireTime(heartbeat.lastBeatAt, "lastBeatAt"),
      });
    },

    async listHeartbeats(input) {
      const limit = portInput.requireLimit(input.limit);
      return [...heartbeats.values()]
        .sort((a, b) => {
          if (a.lastBeatAt !== b.lastBeatAt) return a.lastBeatAt < b.lastBeatAt ? 1 : -1;
          return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
        })
        .slice(0, limit)
        .map(copy);
    },

    async pruneHeartbeats(input) {
      const before = portInput.requireTime(input.before, "before");
      let pruned = 0;
      for (const [instanceId, heartbeat] of heartbeats) {
        if (heartbeat.lastBeatAt < before) {
          heartbeats.delete(instanceId);
          pruned += 1;
        }
      }
      return pruned;
    },

    async claimLane(input) {
      const lane = portInput.requireText(input.lane, "lane");
      const holder = portInput.requireText(input.holder, "holder");
      const now = portInput.requireTime(input.now, "now");
      const expected = portInput.optionalTime(input.expectedLastStartedAt, "expectedLastStartedAt");
      const current = laneStates.get(lane)?.lastStartedAt ?? null;
      if (current !== expected) return null;
      const claimed: MikaLaneState = { lane, lastStartedAt: now, lastHolder: holder };
      laneStates.set(lane, claimed);
      return copy(claimed);
    },

    async listLaneStates() {
      return sortRows([...laneStates.values()], (laneState) => [laneState.lane]).map(copy);
    },

    async recordLaneRun(run) {
      const id = portInput.requireText(run.id, "id");
      const row: MikaLaneRunRecord = {
        ...copy(run),
        lane: portInput.requireText(run.lane, "lane"),
        status: portInput.requireOneOf(run.status, MIKA_LANE_RUN_STATUSES, "status"),
        startedAt: portInput.requireTime(run.startedAt, "startedAt"),
        finishedAt: portInput.requireTime(run.finishedAt, "finishedAt"),
      };
      insertRow(laneRuns, "laneRuns", id, row);
      const added = laneRunHourOf(row);
      const key = `${added.lane}\u0000${added.hourStartAt}`;
      const hour = laneRunHours.get(key);
      if (hour) {
        hour.passes += added.passes;
        hour.moved += added.moved;
        hour.failures += added.failures;
      } else laneRunHours.set(key, added);
      const cutoff = laneRunHoursCutoffOf(row);
      for (const [other, kept] of laneRunHours) {
        if (kept.lane === row.lane && kept.hourStartAt < cutoff) laneRunHours.delete(other);
      }
    },

    async listLaneRuns(input) {
      const perLane = portInput.requireLimit(input.perLane, "perLane");
      return runsBeyond(perLane).kept.map(copy);
    },

    async pruneLaneRuns(input) {
      const keepPerLane = portInput.requireLimit(input.keepPerLane, "keepPerLane");
      const { dropped } = runsBeyond(keepPerLane);
      for (const run of dropped) laneRuns.delete(run.id);
      return dropped.length;
    },

    async listLaneRunHistory(input) {
      const since = portInput.requireTime(input.since, "since");
      const limit = portInput.requireLimit(input.limit);
      const lane = input.lane === undefined ? undefined : portInput.requireText(input.lane, "lane");
      return newestFirst(
        [...laneRuns.values()].filter(
          (run) => run.startedAt >= since && (lane === undefined || run.lane === lane),
        ),
      )
        .slice(0, limit)
        .map(copy);
    },

    async listLaneRunHours(input) {
      const since = portInput.requireTime(input.since, "since");
      const limit = portInput.requireLimit(input.limit);
      const lane = input.lane === undefined ? undefined : portInput.requireText(input.lane, "lane");
      return sortRows(
        [...laneRunHours.values()].filter(
          (hour) => hour.hourStartAt >= since && (lane === undefined || hour.lane === lane),
        ),
        (hour) => [hour.hourStartAt, hour.lane],
      )
        .slice(0, limit)
        .map(copy);
    },

    async setLanePaused(input) {
      const { lane, by, now, paused } = portInput.requireLanePause(input);
      if (!paused) {
        lanePauses.delete(lane);
        return null;
      }
      const existing = lanePauses.get(lane);
      if (existing) return copy(existing);
      const pause: MikaLanePause = { lane, pausedAt: now, pausedBy: by };
      lanePauses.set(lane, pause);
      return copy(pause);
    },

    async listLanePauses() {
      return sortRows([...lanePauses.values()], (pause) => [pause.lane]).map(copy);
    },
  };
}
