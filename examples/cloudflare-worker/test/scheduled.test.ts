/**
 * Calls the Worker's scheduled() handler the way a Cron Trigger does, against a real EmDash
 * runtime (EmDash's migrations on a SQLite file, its cron executor and hook pipeline) with the
 * mika plugin configured and the memory adapter as the store.
 */
import type { MikaStockRepository } from "@mika-maintenance/core";
import { createMemoryRepositories } from "@mika-maintenance/memory";
import type { EmDashRuntime } from "emdash/middleware";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  aMinuteAgo,
  makeTaskDue,
  readCronTasks,
} from "../../../packages/emdash/test/support/emdash-database.ts";
import {
  configureEmDashSite,
  type EmDashTestSite,
} from "../../../packages/emdash/test/support/emdash-site.ts";
import { hookNames } from "../../../packages/emdash/test/support/record-hooks.ts";
import { seedExpiredReservation } from "../../../packages/emdash/test/support/stock-fixture.ts";

const memory = createMemoryRepositories();
const stockOutage = { active: false };
// The memory stock repository, with a switch that makes releasing expired reservations fail.
const stock = new Proxy(memory.stock, {
  get(target, property) {
    if (property === "releaseExpiredReservations" && stockOutage.active) {
      return async () => {
        throw new Error("stock table is locked");
      };
    }
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
}) as MikaStockRepository;

let site: EmDashTestSite;
let runtime: EmDashRuntime;
let scheduled: typeof import("../src/scheduled.ts").scheduled;

const controller = () => ({ cron: "* * * * *", scheduledTime: Date.now() });
const executionContext = () => {
  const pending: Promise<unknown>[] = [];
  return { waitUntil: (promise: Promise<unknown>) => void pending.push(promise), pending };
};

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  site = await configureEmDashSite({ repositories: { ...memory, stock } });
  ({ scheduled } = await import("../src/scheduled.ts"));
  // The runtime starts as on the first request; starting it fires no plugin hook.
  runtime = await site.middleware.withEmDashRuntime((rt) => rt);
});

afterAll(() => {
  site?.cleanup();
  vi.restoreAllMocks();
});

beforeEach(async () => {
  stockOutage.active = false;
  await runtime.db.deleteFrom("_emdash_cron_tasks").execute();
  site.calls.length = 0;
});

/** One Cron Trigger that registers the task, then moves its next run into the past. */
async function registerAndMakeDue(scheduledAt: string): Promise<void> {
  await scheduled(controller(), {}, executionContext());
  await makeTaskDue(runtime.db, "mika_maintenance", scheduledAt);
  site.calls.length = 0;
}

describe("scheduled()", () => {
  it("registers mika_maintenance on the first Cron Trigger of a fresh deployment", async () => {
    expect(await readCronTasks(runtime.db)).toEqual([]);

    await scheduled(controller(), {}, executionContext());

    expect(hookNames(site.calls)).toEqual(["plugin:activate"]);
    expect(await readCronTasks(runtime.db)).toEqual([
      expect.objectContaining({
        plugin_id: "mika-maintenance",
        task_name: "mika_maintenance",
        schedule: "* * * * *",
        last_run_at: null,
      }),
    ]);
  });

  it("runs mika_maintenance once it is due", async () => {
    const scheduledAt = aMinuteAgo();
    const seeded = await seedExpiredReservation({ stock }, scheduledAt);
    await registerAndMakeDue(scheduledAt);

    await scheduled(controller(), {}, executionContext());

    expect(hookNames(site.calls)).toEqual(["plugin:activate", "cron:mika_maintenance"]);
    expect(await stock.getReservation(seeded.expiredId)).toMatchObject({ status: "expired" });
    const [row] = await readCronTasks(runtime.db);
    expect(row?.last_run_at).not.toBeNull();
    expect(Date.parse(row!.next_run_at)).toBeGreaterThan(Date.parse(scheduledAt));
  });

  it("leaves a stock-release failure in EmDash's logs and retries on the next trigger", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await registerAndMakeDue(aMinuteAgo());
    stockOutage.active = true;

    // EmDash's cron executor catches the hook's error, so the trigger itself completes.
    await expect(scheduled(controller(), {}, executionContext())).resolves.toBeUndefined();

    expect(warn).toHaveBeenCalledWith(
      "[plugin:mika-maintenance]",
      "mika_maintenance finished with failed tasks: stockReservations",
      // The summary is logged with flat fields (readable in a console): a comma-separated list.
      expect.objectContaining({ failed: "stockReservations" }),
    );
    expect(error).toHaveBeenCalledWith(
      "[cron] Hook failed for mika-maintenance:mika_maintenance:",
      expect.objectContaining({
        code: "MIKA_STOCK_RESERVATION_RELEASE_FAILED",
        message: expect.stringContaining("stock table is locked"),
      }),
    );
    // A recurring task goes back to idle with its next run computed, so the next trigger retries.
    expect(await readCronTasks(runtime.db)).toEqual([
      expect.objectContaining({ status: "idle", locked_at: null }),
    ]);
    error.mockRestore();
    warn.mockRestore();
  });
});
