/**
 * The plugin inside a real EmDash runtime (`EmDashRuntime.create()` through
 * `emdash/middleware`), configured like a fresh site: EmDash's migrations on a new SQLite file,
 * its hook pipeline, its cron executor driven by `runScheduledTasks()` (what a Cloudflare
 * Worker's `scheduled()` handler calls), and the memory adapter.
 */
import { createMemoryRepositories } from "@mika-maintenance/memory";
import type { EmDashRuntime } from "emdash/middleware";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MIKA_MAINTENANCE_TASK, MIKA_PLUGIN_ID } from "../src/constants.ts";
import { ensureMikaMaintenanceScheduled } from "../src/ensure-scheduled.ts";
import {
  aMinuteAgo,
  type CronTaskRow,
  makeTaskDue,
  readCronTasks,
} from "./support/emdash-database.ts";
import { configureEmDashSite, type EmDashTestSite } from "./support/emdash-site.ts";
import { hookNames, type RecordedHookCall } from "./support/record-hooks.ts";
import { seedExpiredReservation } from "./support/stock-fixture.ts";

const repositories = createMemoryRepositories();
let site: EmDashTestSite;
let runtime: EmDashRuntime;
const startup: { calls: RecordedHookCall[]; rows: CronTaskRow[]; afterFirstTick: CronTaskRow[] } = {
  calls: [],
  rows: [],
  afterFirstTick: [],
};

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  site = await configureEmDashSite({ repositories });
  // The first request (or Cron Trigger) starts the runtime.
  runtime = await site.middleware.withEmDashRuntime((rt) => rt);
  startup.calls = [...site.calls];
  startup.rows = await readCronTasks(runtime.db);
  await site.middleware.runScheduledTasks();
  startup.afterFirstTick = await readCronTasks(runtime.db);
});

afterAll(async () => {
  await runtime?.stopCron();
  site?.cleanup();
  vi.restoreAllMocks();
});

beforeEach(async () => {
  site.calls.length = 0;
  await sql`DELETE FROM _emdash_cron_tasks`.execute(runtime.db);
});

describe("a freshly configured site", () => {
  it("runs EmDash's migrations on the site's SQLite file", async () => {
    const migrations = await sql<{ name: string }>`SELECT name FROM _emdash_migrations`.execute(
      runtime.db,
    );
    expect(migrations.rows.length).toBeGreaterThan(10);
  });

  it("fires no plugin lifecycle hook when the runtime starts", () => {
    expect(startup.calls).toEqual([]);
  });

  it("so nothing is in the cron table, even after a scheduled-tasks run", () => {
    expect(startup.rows).toEqual([]);
    expect(startup.afterFirstTick).toEqual([]);
  });
});

describe("ensureMikaMaintenanceScheduled()", () => {
  it("registers mika_maintenance through the runtime's own hook pipeline", async () => {
    await expect(ensureMikaMaintenanceScheduled(runtime)).resolves.toBe(true);

    expect(site.calls).toEqual([{ hook: "plugin:activate", hasCron: true }]);
    expect(await readCronTasks(runtime.db)).toEqual([
      expect.objectContaining({
        plugin_id: MIKA_PLUGIN_ID,
        task_name: MIKA_MAINTENANCE_TASK,
        schedule: "* * * * *",
        status: "idle",
        enabled: 1,
      }),
    ]);
  });

  it("is idempotent", async () => {
    await ensureMikaMaintenanceScheduled(runtime);
    const before = await readCronTasks(runtime.db);
    await ensureMikaMaintenanceScheduled(runtime);
    expect(await readCronTasks(runtime.db)).toEqual(before);
  });
});

describe("runScheduledTasks()", () => {
  it("runs the cron hook when mika_maintenance is due, at its scheduled time", async () => {
    const info = vi.mocked(console.info);
    await ensureMikaMaintenanceScheduled(runtime);
    const scheduledAt = aMinuteAgo();
    const seeded = await seedExpiredReservation(repositories, scheduledAt);
    await makeTaskDue(runtime.db, MIKA_MAINTENANCE_TASK, scheduledAt);
    site.calls.length = 0;

    await site.middleware.runScheduledTasks();

    expect(hookNames(site.calls)).toEqual(["cron:mika_maintenance"]);
    expect(await repositories.stock.getReservation(seeded.expiredId)).toMatchObject({
      status: "expired",
      endedAt: scheduledAt,
    });
    expect(await repositories.stock.getStockItem(seeded.stockItemId)).toMatchObject({
      quantityReserved: 2,
    });
    const [row] = await readCronTasks(runtime.db);
    expect(row).toMatchObject({ status: "idle", locked_at: null });
    expect(row?.last_run_at).not.toBeNull();
    expect(Date.parse(row!.next_run_at)).toBeGreaterThan(Date.parse(scheduledAt));
    expect(info).toHaveBeenCalledWith(
      `[plugin:${MIKA_PLUGIN_ID}]`,
      "mika_maintenance finished",
      expect.objectContaining({ now: scheduledAt, ok: true }),
    );
  });

  it("does not run the task before it is due", async () => {
    await ensureMikaMaintenanceScheduled(runtime);
    site.calls.length = 0;
    await site.middleware.runScheduledTasks();
    expect(site.calls).toEqual([]);
  });
});

describe("an admin disabling and enabling the plugin", () => {
  it("fires plugin:deactivate (task removed) and plugin:activate (task back)", async () => {
    await ensureMikaMaintenanceScheduled(runtime);
    site.calls.length = 0;

    await runtime.setPluginStatus(MIKA_PLUGIN_ID, "inactive");
    expect(site.calls).toEqual([{ hook: "plugin:deactivate", hasCron: true }]);
    expect(await readCronTasks(runtime.db)).toEqual([]);
    await expect(ensureMikaMaintenanceScheduled(runtime)).resolves.toBe(false);
    expect(await readCronTasks(runtime.db)).toEqual([]);

    await runtime.setPluginStatus(MIKA_PLUGIN_ID, "active");
    expect(hookNames(site.calls)).toEqual(["plugin:deactivate", "plugin:activate"]);
    expect(await readCronTasks(runtime.db)).toEqual([
      expect.objectContaining({ task_name: MIKA_MAINTENANCE_TASK, enabled: 1 }),
    ]);
  });
});
