import { describe, expect, it } from "vitest";
import {
  createMikaMaintenanceRunner,
  describeMaintenanceStatus,
  recordMaintenanceRun,
} from "../../src/index.ts";
import { createMemoryRepositories, START } from "./harness.ts";
import { seedReservations } from "./seed.ts";

describe("recordMaintenanceRun", () => {
  it("records a manual sweep as one lane run per task, visible in status", async () => {
    const repositories = createMemoryRepositories();
    await seedReservations(repositories, [-5]);
    const result = await createMikaMaintenanceRunner({ repositories }).runOnce({ now: START });
    const records = await recordMaintenanceRun(repositories.runtimeState, result, {
      instanceId: "cli-once",
    });
    expect(records).toHaveLength(9);
    expect(records.find((record) => record.lane === "stockReservations")).toMatchObject({
      status: "completed",
      startedAt: START,
      counters: { reservationsReleased: 1, hasMore: false },
      error: null,
    });
    expect(records.find((record) => record.lane === "emailOutbox")).toMatchObject({
      status: "skipped",
      error: expect.stringMatching(/emailOutboxRunner/),
    });
    const status = await describeMaintenanceStatus({ repositories, now: START });
    const lanes = status.lanes as Exclude<typeof status.lanes, { error: string }>;
    expect(lanes.find((lane) => lane.lane === "stockReservations")).toMatchObject({
      health: "ok",
      lastStartedAt: START,
      lastHolder: "cli-once",
    });
  });
});
