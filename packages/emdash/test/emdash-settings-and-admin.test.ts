/**
 * Settings saved in EmDash's admin and the plugin's Block Kit admin route, inside a real EmDash
 * runtime: settings are stored where EmDash's settings form stores them (the `options` table,
 * `plugin:mika-maintenance:settings:<key>`), ticks run through EmDash's cron executor, and admin
 * interactions go through `EmDashRuntime.handlePluginApiRoute`, which serves
 * `/_emdash/api/plugins/mika-maintenance/admin`.
 */
import { createMemoryRepositories } from "@mika-maintenance/memory";
import type { EmDashRuntime } from "emdash/middleware";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MIKA_MAINTENANCE_TASK, MIKA_PLUGIN_ID } from "../src/constants.ts";
import { ensureMikaMaintenanceScheduled } from "../src/ensure-scheduled.ts";
import { aMinuteAgo, makeTaskDue, readCronTasks } from "./support/emdash-database.ts";
import { configureEmDashSite, type EmDashTestSite } from "./support/emdash-site.ts";
import { hookNames } from "./support/record-hooks.ts";
import { seedExpiredReservation } from "./support/stock-fixture.ts";

const repositories = createMemoryRepositories();
let site: EmDashTestSite;
let runtime: EmDashRuntime;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  site = await configureEmDashSite({ repositories });
  runtime = await site.middleware.withEmDashRuntime((rt) => rt);
});

afterAll(async () => {
  await runtime?.stopCron();
  site?.cleanup();
  vi.restoreAllMocks();
});

beforeEach(async () => {
  await sql`DELETE FROM _emdash_cron_tasks`.execute(runtime.db);
  await sql`DELETE FROM options WHERE name LIKE ${`plugin:${MIKA_PLUGIN_ID}:settings:%`}`.execute(
    runtime.db,
  );
  site.calls.length = 0;
});

/** Saves a setting the way EmDash's settings form does (JSON in the options table). */
async function saveSetting(key: string, value: unknown): Promise<void> {
  await sql`
    INSERT INTO options (name, value) VALUES (${`plugin:${MIKA_PLUGIN_ID}:settings:${key}`}, ${JSON.stringify(value)})
    ON CONFLICT (name) DO UPDATE SET value = excluded.value
  `.execute(runtime.db);
}

async function admin(interaction: unknown) {
  const result = await runtime.handlePluginApiRoute(
    MIKA_PLUGIN_ID,
    "POST",
    "/admin",
    new Request("http://shop.example/_emdash/api/plugins/mika-maintenance/admin", {
      method: "POST",
      body: JSON.stringify(interaction),
    }),
  );
  expect(result.success).toBe(true);
  return result.data as {
    blocks: Array<Record<string, unknown>>;
    toast?: { type: string; message: string };
  };
}

describe("settings saved in EmDash's admin", () => {
  it("declares enabled and schedule in settingsSchema, with the descriptor's values as defaults", () => {
    const plugin = runtime.configuredPlugins.find((entry) => entry.id === MIKA_PLUGIN_ID);
    expect(plugin?.admin.settingsSchema).toMatchObject({
      enabled: { type: "boolean", default: true },
      schedule: { type: "string", default: "* * * * *" },
    });
  });

  it("a saved schedule takes effect at the next tick, which runs nothing on the old schedule", async () => {
    await ensureMikaMaintenanceScheduled(runtime);
    const scheduledAt = aMinuteAgo();
    const seeded = await seedExpiredReservation(repositories, scheduledAt);
    await makeTaskDue(runtime.db, MIKA_MAINTENANCE_TASK, scheduledAt);
    await saveSetting("schedule", "0 3 * * *");
    site.calls.length = 0;

    await site.middleware.runScheduledTasks();
    expect(hookNames(site.calls)).toEqual(["cron:mika_maintenance"]);
    expect(await repositories.stock.getReservation(seeded.expiredId)).toMatchObject({
      status: "active",
    });
    const [row] = await readCronTasks(runtime.db);
    expect(row).toMatchObject({ schedule: "0 3 * * *", status: "idle" });
    // The next run follows the new schedule: 03:00 UTC, not the next minute.
    expect(new Date(row!.next_run_at).getUTCHours()).toBe(3);
    expect(new Date(row!.next_run_at).getUTCMinutes()).toBe(0);

    site.calls.length = 0;
    await site.middleware.runScheduledTasks();
    expect(site.calls).toEqual([]);
  });

  it("a saved enabled: false cancels the task instead of running it", async () => {
    await ensureMikaMaintenanceScheduled(runtime);
    await makeTaskDue(runtime.db, MIKA_MAINTENANCE_TASK, aMinuteAgo());
    await saveSetting("enabled", false);
    await site.middleware.runScheduledTasks();
    expect(await readCronTasks(runtime.db)).toEqual([]);
  });

  it("a saved schedule that is not a cron expression is set aside, named, and the default applies", async () => {
    await saveSetting("schedule", "every minute");
    await ensureMikaMaintenanceScheduled(runtime);
    expect(await readCronTasks(runtime.db)).toEqual([
      expect.objectContaining({ schedule: "* * * * *" }),
    ]);
    const page = await admin({ type: "page_load", page: "/" });
    expect(page.blocks).toContainEqual(
      expect.objectContaining({
        type: "banner",
        variant: "error",
        description: expect.stringContaining(
          'schedule: must be a cron expression such as "* * * * *"',
        ),
      }),
    );
  });
});

describe("the admin route (Block Kit)", () => {
  it("page_load reconciles the schedule and shows next run, backlog and failures", async () => {
    await saveSetting("schedule", "*/5 * * * *");
    const page = await admin({ type: "page_load", page: "/" });
    const [row] = await readCronTasks(runtime.db);
    expect(row).toMatchObject({ schedule: "*/5 * * * *" });
    const fields = page.blocks.find((block) => block.block_id === "schedule") as {
      fields: Array<{ label: string; value: string }>;
    };
    expect(fields.fields).toContainEqual({ label: "Next run", value: row!.next_run_at });
    expect(fields.fields).toContainEqual({
      label: "Schedule",
      value: "*/5 * * * * (admin setting)",
    });
    const stats = page.blocks.find((block) => block.block_id === "backlog") as {
      items: Array<{ label: string; value: unknown }>;
    };
    expect(stats.items.map((item) => item.label)).toEqual([
      "Failures (24 h)",
      "Due emails",
      "Expired reservations still active",
      "Queued deletions",
    ]);
  });

  it("run now runs one sweep, keeps its summary in the store and shows it", async () => {
    const seeded = await seedExpiredReservation(repositories, new Date().toISOString());
    const ran = await admin({ type: "block_action", action_id: "run_now" });
    expect(ran.toast).toMatchObject({ type: "success" });
    expect(ran.toast?.message).toMatch(/^Ran one sweep: \d+ completed, 0 failed, \d+ skipped\.$/);
    expect(await repositories.stock.getReservation(seeded.expiredId)).toMatchObject({
      status: "expired",
    });
    const lastRun = ran.blocks.find((block) => block.block_id === "last-run") as {
      rows: Array<Record<string, string>>;
    };
    expect(lastRun.rows).toContainEqual(
      expect.objectContaining({
        task: "stockReservations",
        status: "completed",
        counters: expect.stringMatching(/reservationsReleased=[1-9]/),
      }),
    );
    const kept = await repositories.runtimeState.listLaneRuns({ perLane: 5 });
    expect(kept.filter((record) => record.lane === "stockReservations")).toContainEqual(
      expect.objectContaining({ instanceId: "emdash-admin", status: "completed" }),
    );
  });

  it("the widget shows the same state with a run-now button", async () => {
    const widget = await admin({ type: "page_load", page: "widget:maintenance" });
    expect(widget.blocks.map((block) => block.type)).toEqual(
      expect.arrayContaining(["fields", "stats", "actions"]),
    );
  });
});
