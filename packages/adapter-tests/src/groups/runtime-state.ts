import type { MikaRuntimeHeartbeat } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, SECOND, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completedLaneRun } from "../support/lane-runs.ts";

function heartbeat(lastBeatAt: string, overrides: Partial<MikaRuntimeHeartbeat> = {}) {
  return {
    instanceId: uniqueId("inst"),
    host: "worker-1.internal",
    pid: 4242,
    startedAt: at(-MINUTE),
    lastBeatAt,
    isLeader: false,
    ...overrides,
  } satisfies MikaRuntimeHeartbeat;
}

/** The runtime's liveness records and per-lane claims. */
export const runtimeStateGroup = defineConformanceGroup(
  "runtimeState",
  "heartbeats, compare-and-set lane claims and lane runs with pruning",
  {
    "recordHeartbeat inserts or replaces; listHeartbeats returns the most recent first": async ({
      repositories: { runtimeState },
    }) => {
      const older = heartbeat(at(-2 * MINUTE));
      const newer = heartbeat(at(-MINUTE), { isLeader: true });
      await runtimeState.recordHeartbeat(older);
      await runtimeState.recordHeartbeat(newer);
      expect(await runtimeState.listHeartbeats({ limit: 10 })).toEqual([newer, older]);
      const beatAgain = { ...older, lastBeatAt: T0, isLeader: true };
      await runtimeState.recordHeartbeat(beatAgain);
      expect(await runtimeState.listHeartbeats({ limit: 10 })).toEqual([beatAgain, newer]);
      expect(await runtimeState.listHeartbeats({ limit: 1 })).toEqual([beatAgain]);
    },

    "pruneHeartbeats deletes only heartbeats older than the cutoff": async ({
      repositories: { runtimeState },
    }) => {
      const stale = heartbeat(at(-10 * MINUTE));
      const atCutoff = heartbeat(at(-5 * MINUTE));
      const fresh = heartbeat(T0);
      for (const beat of [stale, atCutoff, fresh]) await runtimeState.recordHeartbeat(beat);
      expect(await runtimeState.pruneHeartbeats({ before: at(-5 * MINUTE) })).toBe(1);
      expect(await runtimeState.listHeartbeats({ limit: 10 })).toEqual([fresh, atCutoff]);
    },

    "claimLane is compare-and-set on lastStartedAt": async ({ repositories: { runtimeState } }) => {
      const lane = uniqueId("lane");
      const first = await runtimeState.claimLane({
        lane,
        expectedLastStartedAt: null,
        holder: "a",
        now: T0,
      });
      expect(first).toEqual({ lane, lastStartedAt: T0, lastHolder: "a" });
      const stale = await runtimeState.claimLane({
        lane,
        expectedLastStartedAt: null,
        holder: "b",
        now: at(SECOND),
      });
      expect(stale).toBeNull();
      const wrong = await runtimeState.claimLane({
        lane,
        expectedLastStartedAt: at(-MINUTE),
        holder: "b",
        now: at(SECOND),
      });
      expect(wrong).toBeNull();
      const next = await runtimeState.claimLane({
        lane,
        expectedLastStartedAt: T0,
        holder: "b",
        now: at(MINUTE),
      });
      expect(next).toEqual({ lane, lastStartedAt: at(MINUTE), lastHolder: "b" });
      const other = uniqueId("lane");
      await runtimeState.claimLane({
        lane: other,
        expectedLastStartedAt: null,
        holder: "c",
        now: T0,
      });
      const states = await runtimeState.listLaneStates();
      expect(states).toEqual(
        expect.arrayContaining([
          { lane, lastStartedAt: at(MINUTE), lastHolder: "b" },
          { lane: other, lastStartedAt: T0, lastHolder: "c" },
        ]),
      );
      expect(states).toHaveLength(2);
    },

    "concurrent claims of the same lane pass: exactly one wins": {
      timeoutMs: 60_000,
      run: async ({ repositories, connections }) => {
        const replicas = await connections(4);
        const lane = uniqueId("lane");
        let expected: string | null = null;
        for (let round = 0; round < 10; round += 1) {
          const now = at(round * MINUTE);
          const claims = await Promise.all(
            replicas.map((replica, index) =>
              replica.runtimeState.claimLane({
                lane,
                expectedLastStartedAt: expected,
                holder: `replica-${index}`,
                now,
              }),
            ),
          );
          const winners = claims.filter((claim) => claim !== null);
          expect(winners).toHaveLength(1);
          const states = await repositories.runtimeState.listLaneStates();
          expect(states.find((state) => state.lane === lane)).toEqual(winners[0]);
          expected = now;
        }
      },
    },

    "lane runs are listed newest first per lane and pruned to the newest N": async ({
      repositories: { runtimeState },
    }) => {
      const laneA = uniqueId("lane");
      const laneB = uniqueId("lane");
      const runsA = [0, 1, 2, 3].map((i) => completedLaneRun(laneA, at(i * MINUTE)));
      const runsB = [0, 1].map((i) => completedLaneRun(laneB, at(i * MINUTE)));
      for (const run of [...runsA, ...runsB]) await runtimeState.recordLaneRun(run);
      const failed = {
        ...completedLaneRun(laneB, at(5 * MINUTE)),
        status: "failed" as const,
        error: "boom",
      };
      await runtimeState.recordLaneRun(failed);

      const latest = await runtimeState.listLaneRuns({ perLane: 2 });
      const ofLane = (lane: string) => latest.filter((run) => run.lane === lane);
      expect(ofLane(laneA)).toEqual([runsA[3], runsA[2]]);
      expect(ofLane(laneB)).toEqual([failed, runsB[1]]);
      expect(latest).toHaveLength(4);

      expect(await runtimeState.pruneLaneRuns({ keepPerLane: 1 })).toBe(5);
      const kept = await runtimeState.listLaneRuns({ perLane: 10 });
      expect(kept).toHaveLength(2);
      expect(kept).toEqual(expect.arrayContaining([runsA[3], failed]));
      expect(await runtimeState.pruneLaneRuns({ keepPerLane: 1 })).toBe(0);
    },
  },
);
