/**
 * The plugin inside the real `emdash` package: EmDash's migrations on a real SQLite file, its
 * HookPipeline and PluginManager invoking the plugin's lifecycle and cron hooks, and the
 * runner's effect on a real mika-maintenance adapter.
 */
import type { MikaRepositories } from "@mika-maintenance/core";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";
import { createMemoryRepositories } from "@mika-maintenance/memory";
import { createHookPipeline, createPluginManager, type Database } from "emdash";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MIKA_MAINTENANCE_TASK, MIKA_PLUGIN_ID } from "../src/constants.ts";
import { createPlugin } from "../src/create-plugin.ts";
import { MikaStockReservationReleaseError } from "../src/errors.ts";
import {
  aMinuteAgo,
  createScratchDirectory,
  openMigratedEmDashDatabase,
  readCronTasks,
} from "./support/emdash-database.ts";
import { type RecordedHookCall, recordHookCalls } from "./support/record-hooks.ts";
import { seedExpiredReservation } from "./support/stock-fixture.ts";

type Repositories = Pick<MikaRepositories, "stock"> & Partial<MikaRepositories>;

interface AdapterCase {
  name: string;
  create(directory: string): Promise<{ repositories: Repositories; close(): Promise<void> }>;
}

const adapters: AdapterCase[] = [
  {
    name: "memory",
    async create() {
      const repositories = createMemoryRepositories();
      return { repositories, close: async () => {} };
    },
  },
  {
    name: "libSQL",
    async create(directory) {
      const repositories = createLibsqlRepositories({ url: `file:${directory}/mika.db` });
      await repositories.migrate();
      return { repositories, close: async () => repositories.close() };
    },
  },
];

let scratch: ReturnType<typeof createScratchDirectory>;
let db: Kysely<Database>;

beforeEach(async () => {
  // The plugin logs through EmDash's ctx.log, which writes to the console; tests read the spies.
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  scratch = createScratchDirectory("mika-emdash-pipeline-");
  db = await openMigratedEmDashDatabase(`${scratch.path}/site.db`);
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await db.destroy();
  scratch.cleanup();
});

/** A hook pipeline wired the way EmDashRuntime.create() wires it (db + cron reschedule). */
function runtimePipeline(plugin: ReturnType<typeof createPlugin>) {
  const reschedules = { count: 0 };
  const pipeline = createHookPipeline([plugin], { db });
  pipeline.setContextFactory({ cronReschedule: () => reschedules.count++ });
  return { pipeline, reschedules };
}

describe("EmDash migrations", () => {
  it("create the cron task table the plugin schedules into", async () => {
    expect(await readCronTasks(db)).toEqual([]);
  });
});

describe.each(adapters)("EmDash hook pipeline with the $name adapter", (adapter) => {
  let store: Awaited<ReturnType<AdapterCase["create"]>>;

  beforeEach(async () => {
    store = await adapter.create(scratch.path);
  });

  afterEach(async () => {
    await store.close();
  });

  it("plugin:install writes the mika_maintenance row into _emdash_cron_tasks", async () => {
    const plugin = createPlugin({ maintenance: { repositories: store.repositories } });
    const { pipeline, reschedules } = runtimePipeline(plugin);

    const results = await pipeline.runPluginInstall(MIKA_PLUGIN_ID);

    expect(results).toEqual([expect.objectContaining({ success: true })]);
    const rows = await readCronTasks(db);
    expect(rows).toEqual([
      expect.objectContaining({
        plugin_id: MIKA_PLUGIN_ID,
        task_name: MIKA_MAINTENANCE_TASK,
        schedule: "* * * * *",
        is_oneshot: 0,
        data: null,
        status: "idle",
        enabled: 1,
        last_run_at: null,
      }),
    ]);
    expect(Date.parse(rows[0]!.next_run_at)).toBeGreaterThan(Date.now() - 1_000);
    expect(reschedules.count).toBe(1);
  });

  it("plugin:activate is idempotent and keeps the next run time", async () => {
    const plugin = createPlugin({ maintenance: { repositories: store.repositories } });
    const { pipeline } = runtimePipeline(plugin);
    await pipeline.runPluginInstall(MIKA_PLUGIN_ID);
    const [before] = await readCronTasks(db);

    await pipeline.runPluginActivate(MIKA_PLUGIN_ID);
    await pipeline.runPluginActivate(MIKA_PLUGIN_ID);

    expect(await readCronTasks(db)).toEqual([before]);
  });

  it("the cron hook runs the runner at scheduledAt and releases expired reservations", async () => {
    const scheduledAt = aMinuteAgo();
    const seeded = await seedExpiredReservation(store.repositories, scheduledAt);
    const plugin = createPlugin({ maintenance: { repositories: store.repositories } });
    const { pipeline } = runtimePipeline(plugin);
    const info = vi.mocked(console.info);

    const result = await pipeline.invokeCronHook(MIKA_PLUGIN_ID, {
      name: MIKA_MAINTENANCE_TASK,
      scheduledAt,
    });

    expect(result).toMatchObject({ success: true });
    const { stock } = store.repositories;
    expect(await stock.getReservation(seeded.expiredId)).toMatchObject({
      status: "expired",
      idempotencyKey: null,
      endedAt: scheduledAt,
    });
    expect(await stock.getReservation(seeded.liveId)).toMatchObject({ status: "active" });
    expect(await stock.getStockItem(seeded.stockItemId)).toMatchObject({ quantityReserved: 2 });
    expect(info).toHaveBeenCalledWith(
      `[plugin:${MIKA_PLUGIN_ID}]`,
      "mika_maintenance finished",
      expect.objectContaining({
        now: scheduledAt,
        ok: true,
        stockReservations: expect.stringMatching(/reservationsReleased=1 stockItems=1/),
      }),
    );
  });

  it("a stockReservations failure reaches EmDash as a failed hook, after a warning", async () => {
    const plugin = createPlugin({
      maintenance: { repositories: store.repositories },
      releaseExpiredReservations: async () => {
        throw new Error("disk I/O error");
      },
    });
    const { pipeline } = runtimePipeline(plugin);
    const warn = vi.mocked(console.warn);

    const result = await pipeline.invokeCronHook(MIKA_PLUGIN_ID, {
      name: MIKA_MAINTENANCE_TASK,
      scheduledAt: aMinuteAgo(),
    });

    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(MikaStockReservationReleaseError);
    expect(result.error?.message).toContain("disk I/O error");
    expect(warn).toHaveBeenCalledWith(
      `[plugin:${MIKA_PLUGIN_ID}]`,
      "mika_maintenance finished with failed tasks: stockReservations",
      expect.objectContaining({ failed: "stockReservations" }),
    );
  });

  it.each(["runPluginDeactivate", "runPluginUninstall"] as const)(
    "%s removes the row",
    async (method) => {
      const plugin = createPlugin({ maintenance: { repositories: store.repositories } });
      const { pipeline } = runtimePipeline(plugin);
      await pipeline.runPluginInstall(MIKA_PLUGIN_ID);
      const results =
        method === "runPluginUninstall"
          ? await pipeline.runPluginUninstall(MIKA_PLUGIN_ID, false)
          : await pipeline.runPluginDeactivate(MIKA_PLUGIN_ID);
      expect(results).toEqual([expect.objectContaining({ success: true })]);
      expect(await readCronTasks(db)).toEqual([]);
    },
  );
});

describe("EmDash hook timeout", () => {
  it("EmDash waits hookTimeoutMs for a sweep, not its 5 s default", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const plugin = createPlugin({
      maintenance: { hookTimeoutMs: 60_000 },
      runner: { runOnce: () => new Promise(() => {}) },
    });
    const { pipeline } = runtimePipeline(plugin);
    let settled: Awaited<ReturnType<typeof pipeline.invokeCronHook>> | undefined;
    void pipeline
      .invokeCronHook(MIKA_PLUGIN_ID, { name: MIKA_MAINTENANCE_TASK, scheduledAt: aMinuteAgo() })
      .then((result) => {
        settled = result;
      });

    await vi.advanceTimersByTimeAsync(5_000);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(55_000);
    expect(settled).toMatchObject({ success: false });
    expect(settled?.error?.message).toBe("Hook timeout after 60000ms");
  });
});

describe("EmDash PluginManager (as shipped in emdash 0.32)", () => {
  // PluginManager runs lifecycle hooks on a pipeline built from the plugins that are *already*
  // active, so a plugin being installed or activated is not in it: its install and activate
  // hooks never run. Deactivate runs (the plugin is still active); uninstall does not (it was
  // deactivated first). Its contexts also have no ctx.cron (no reschedule callback is wired).
  it("activate() fires neither plugin:install nor plugin:activate", async () => {
    const calls: RecordedHookCall[] = [];
    const manager = createPluginManager({ db });
    manager.register(recordHookCalls(createPlugin(), calls));

    const results = await manager.activate(MIKA_PLUGIN_ID);

    expect(results).toEqual([]);
    expect(manager.getPluginState(MIKA_PLUGIN_ID)).toBe("active");
    expect(calls).toEqual([]);
    expect(await readCronTasks(db)).toEqual([]);
  });

  it("deactivate() fires plugin:deactivate without ctx.cron; uninstall() fires nothing", async () => {
    const calls: RecordedHookCall[] = [];
    const manager = createPluginManager({ db });
    manager.register(recordHookCalls(createPlugin(), calls));
    await manager.activate(MIKA_PLUGIN_ID);

    await manager.deactivate(MIKA_PLUGIN_ID);
    await manager.uninstall(MIKA_PLUGIN_ID);

    expect(calls).toEqual([{ hook: "plugin:deactivate", hasCron: false }]);
  });

  it("invokeCronHook() runs the sweep for an active plugin", async () => {
    const runs: string[] = [];
    const manager = createPluginManager({ db });
    manager.register(
      createPlugin({
        runner: {
          async runOnce(options) {
            runs.push(String(options?.now));
            return (await import("@mika-maintenance/core"))
              .createMikaMaintenanceRunner()
              .runOnce(options);
          },
        },
      }),
    );
    await manager.activate(MIKA_PLUGIN_ID);
    const scheduledAt = aMinuteAgo();
    await manager.invokeCronHook(MIKA_PLUGIN_ID, { name: MIKA_MAINTENANCE_TASK, scheduledAt });
    expect(runs).toEqual([scheduledAt]);
  });
});
