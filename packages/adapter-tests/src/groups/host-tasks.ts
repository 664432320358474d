import {
  createMaintenanceRuntime,
  createManualScheduler,
  defineMaintenanceTask,
  describeMaintenanceStatus,
  MIKA_MAINTENANCE_TASKS,
  type MikaRepositories,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { createTestRunner } from "../support/runners.ts";

/** A host sweep over the adapter's own store: counts the queued workflows it sees. */
function countQueuedWorkflows() {
  return defineMaintenanceTask({
    key: "hostWorkflowAudit",
    description: "Counts the workflows the host's own sweep looked at.",
    lane: { kind: "hygiene", intervalMs: 60_000 },
    plan: (input) => {
      const ops = input.repositories?.ops;
      if (!ops) return { skip: "needs repositories.ops" };
      return {
        run: async ({ now }) => {
          const due = await ops.listDueWorkflowRetries({ name: "host.audit", now, limit: 10 });
          return { looked: due.items.length, hasMore: due.hasMore };
        },
      };
    },
  });
}

const throwingTask = defineMaintenanceTask({
  key: "hostBroken",
  description: "Always throws.",
  lane: { kind: "user-visible", intervalMs: 5_000 },
  plan: () => ({
    run: async (): Promise<{ done: number }> => {
      throw new Error("host task broke");
    },
  }),
});

async function seedAudit(repositories: MikaRepositories) {
  await repositories.ops.enqueueWorkflow({
    name: "host.audit",
    nextAttemptAt: at(-MINUTE),
    now: at(-HOUR),
  });
}

/** Host-defined tasks: lanes, tick, status and run results like a built-in task. */
export const hostTasksGroup = defineConformanceGroup(
  "hostTasks",
  "host-defined tasks run after the built-in ones with lanes, tick and status; a throw fails only them",
  {
    "runOnce runs host tasks after the built-in ones; a throwing host task fails only itself":
      async ({ repositories }) => {
        await seedAudit(repositories);
        const { runner } = createTestRunner(repositories, {
          input: { tasks: [countQueuedWorkflows(), throwingTask] },
        });
        const result = await runner.runOnce({ now: T0 });
        expect(Object.keys(result)).toEqual([
          "now",
          ...MIKA_MAINTENANCE_TASKS.map((task) => task.key),
          "hostWorkflowAudit",
          "hostBroken",
        ]);
        expect(result.hostWorkflowAudit).toMatchObject({
          status: "completed",
          result: { looked: 1, hasMore: false },
        });
        expect(result.hostBroken).toMatchObject({ status: "failed", error: "host task broke" });
        for (const task of MIKA_MAINTENANCE_TASKS) {
          expect(result[task.key].status, task.key).not.toBe("failed");
        }
      },

    "tick runs each host lane and status lists it with its last run": async ({ repositories }) => {
      await seedAudit(repositories);
      const tasks = [countQueuedWorkflows(), throwingTask];
      const runtime = createMaintenanceRuntime({
        repositories,
        tasks,
        scheduler: createManualScheduler({ start: T0 }),
        logger: false,
        instanceId: "host-tick",
      });
      expect(runtime.lanes.map((lane) => lane.lane).slice(-2)).toEqual([
        "hostWorkflowAudit",
        "hostBroken",
      ]);
      expect(runtime.lanes.at(-1)).toMatchObject({
        kind: "user-visible",
        runsOn: "leader",
        intervalMs: 5_000,
      });
      const report = await runtime.tick({ budgetMs: 60_000 });
      const lane = (name: string) => report.lanes.find((candidate) => candidate.lane === name);
      expect(lane("hostWorkflowAudit")?.outcome).toBe("ran");
      expect(lane("hostWorkflowAudit")?.passes[0]?.counters).toMatchObject({ looked: 1 });
      expect(report.failed).toEqual(["hostBroken"]);

      const status = await describeMaintenanceStatus({ repositories, tasks, now: T0 });
      if (status.lanesError) throw new Error(status.lanesError);
      const audit = status.lanes.find((candidate) => candidate.lane === "hostWorkflowAudit");
      expect(audit).toMatchObject({ kind: "hygiene", lastRun: { status: "completed" } });
      const broken = status.lanes.find((candidate) => candidate.lane === "hostBroken");
      expect(broken).toMatchObject({ lastRun: { status: "failed", error: "host task broke" } });
    },
  },
);
