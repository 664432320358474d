import {
  createMaintenanceRuntime,
  createManualScheduler,
  describeMaintenanceStatus,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, MINUTE, SECOND, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completedLaneRun } from "../support/lane-runs.ts";

/** The dashboard's reads and the operator's pause, on every adapter. */
export const runHistoryGroup = defineConformanceGroup(
  "runHistory",
  "bounded run history since an instant, and lane pauses every replica honours",
  {
    "listLaneRunHistory returns runs since the instant, newest first, bounded by limit": async ({
      repositories: { runtimeState },
    }) => {
      const laneA = uniqueId("laneA");
      const laneB = uniqueId("laneB");
      const old = completedLaneRun(laneA, at(-25 * HOUR));
      const a1 = completedLaneRun(laneA, at(-2 * HOUR));
      const a2 = completedLaneRun(laneA, at(-MINUTE));
      const b1 = completedLaneRun(laneB, at(-HOUR));
      const failed = { ...completedLaneRun(laneB, T0), status: "failed" as const, error: "boom" };
      for (const run of [old, a1, a2, b1, failed]) await runtimeState.recordLaneRun(run);

      const since = at(-24 * HOUR);
      expect(await runtimeState.listLaneRunHistory({ since, limit: 100 })).toEqual([
        failed,
        a2,
        b1,
        a1,
      ]);
      expect(await runtimeState.listLaneRunHistory({ since, limit: 2 })).toEqual([failed, a2]);
      expect(await runtimeState.listLaneRunHistory({ since, limit: 100, lane: laneA })).toEqual([
        a2,
        a1,
      ]);
      // The instant itself is included.
      expect(
        await runtimeState.listLaneRunHistory({ since: a1.startedAt, limit: 100 }),
      ).toContainEqual(a1);
      expect(await runtimeState.listLaneRunHistory({ since, limit: 0 })).toEqual([]);
    },

    "listLaneRunHistory orders runs that started together by lane, then newest id": async ({
      repositories: { runtimeState },
    }) => {
      const runs = [
        completedLaneRun("zeta", T0, "run-1"),
        completedLaneRun("alpha", T0, "run-2"),
        completedLaneRun("alpha", T0, "run-3"),
      ];
      for (const run of runs) await runtimeState.recordLaneRun(run);
      const history = await runtimeState.listLaneRunHistory({ since: at(-HOUR), limit: 10 });
      expect(history.map((run) => run.id)).toEqual(["run-3", "run-2", "run-1"]);
    },

    "listLaneRunHistory rejects a bad instant or limit, naming the field": async ({
      repositories: { runtimeState },
    }) => {
      await expect(
        runtimeState.listLaneRunHistory({ since: "yesterday", limit: 10 }),
      ).rejects.toThrow(/since/);
      await expect(runtimeState.listLaneRunHistory({ since: T0, limit: -1 })).rejects.toThrow(
        /limit/,
      );
    },

    "setLanePaused records a pause once, lists it, and a resume removes it": async ({
      repositories: { runtimeState },
    }) => {
      const lane = uniqueId("lane");
      expect(await runtimeState.listLanePauses()).toEqual([]);
      const pause = await runtimeState.setLanePaused({ lane, paused: true, by: "ops", now: T0 });
      expect(pause).toEqual({ lane, pausedAt: T0, pausedBy: "ops" });
      // Pausing again keeps the first pause: who paused it and when stay true.
      expect(
        await runtimeState.setLanePaused({ lane, paused: true, by: "other", now: at(MINUTE) }),
      ).toEqual(pause);
      expect(await runtimeState.listLanePauses()).toEqual([pause]);
      expect(
        await runtimeState.setLanePaused({ lane, paused: false, by: "ops", now: at(MINUTE) }),
      ).toBeNull();
      expect(await runtimeState.listLanePauses()).toEqual([]);
      // Resuming a lane that is not paused is harmless.
      expect(
        await runtimeState.setLanePaused({ lane, paused: false, by: "ops", now: at(MINUTE) }),
      ).toBeNull();
    },

    "a paused lane is skipped by tick and shown paused in status; resumed it runs": async ({
      repositories,
    }) => {
      const scheduler = createManualScheduler({ start: T0 });
      const runtime = createMaintenanceRuntime({
        repositories,
        scheduler,
        logger: false,
        instanceId: "tick-1",
      });
      await repositories.runtimeState.setLanePaused({
        lane: "ephemeralRecords",
        paused: true,
        by: "conformance",
        now: T0,
      });
      const first = await runtime.tick({ budgetMs: 60_000 });
      const outcome = (lane: string, report: typeof first) =>
        report.lanes.find((candidate) => candidate.lane === lane)?.outcome;
      expect(outcome("ephemeralRecords", first)).toBe("paused");
      expect(outcome("stockReservations", first)).toBe("ran");
      const runs = await repositories.runtimeState.listLaneRunHistory({
        since: at(-HOUR),
        limit: 100,
      });
      expect(runs.some((run) => run.lane === "ephemeralRecords")).toBe(false);

      const status = await describeMaintenanceStatus({ repositories, now: T0 });
      if (status.lanesError) throw new Error(status.lanesError);
      const paused = status.lanes.find((lane) => lane.lane === "ephemeralRecords");
      expect(paused).toMatchObject({
        health: "paused",
        paused: { lane: "ephemeralRecords", pausedAt: T0, pausedBy: "conformance" },
      });

      await repositories.runtimeState.setLanePaused({
        lane: "ephemeralRecords",
        paused: false,
        by: "conformance",
        now: T0,
      });
      await scheduler.advance(2 * MINUTE);
      const second = await runtime.tick({ budgetMs: 60_000 });
      expect(outcome("ephemeralRecords", second)).toBe("ran");
    },

    "runLaneNow runs one pass out of schedule and records it": async ({ repositories }) => {
      const scheduler = createManualScheduler({ start: T0 });
      const runtime = createMaintenanceRuntime({
        repositories,
        scheduler,
        logger: false,
        instanceId: "manual-1",
      });
      await runtime.tick({ budgetMs: 60_000 });
      await scheduler.advance(SECOND);
      // Not due for another minute, yet it runs now because an operator asked.
      const result = await runtime.runLaneNow("ephemeralRecords");
      expect(result).toMatchObject({
        outcome: "ran",
        pass: { lane: "ephemeralRecords", trigger: "manual", status: "completed" },
      });
      const [latest] = await repositories.runtimeState.listLaneRunHistory({
        since: T0,
        limit: 1,
        lane: "ephemeralRecords",
      });
      expect(latest).toMatchObject({ startedAt: at(SECOND), instanceId: "manual-1" });
      await expect(runtime.runLaneNow("nope")).rejects.toThrow(/lane must be one of/);
    },
  },
);
