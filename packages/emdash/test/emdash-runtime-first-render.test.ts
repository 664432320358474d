/**
 * On a fresh site no lifecycle hook fires, so the plugin registers its task on the first public
 * page render (EmDashHead collects `page:metadata` from every plugin). Verified with the real
 * EmDash runtime; its own file so the runtime and the plugin instance are new.
 */
import { createMemoryRepositories } from "@mika-maintenance/memory";
import type { EmDashRuntime } from "emdash/middleware";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MIKA_MAINTENANCE_TASK, MIKA_PLUGIN_ID } from "../src/constants.ts";
import { readCronTasks } from "./support/emdash-database.ts";
import { configureEmDashSite, type EmDashTestSite, HOME_PAGE } from "./support/emdash-site.ts";

let site: EmDashTestSite;
let runtime: EmDashRuntime;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  site = await configureEmDashSite({
    repositories: createMemoryRepositories(),
    maintenance: { schedule: "*/5 * * * *" },
  });
  runtime = await site.middleware.withEmDashRuntime((rt) => rt);
});

afterAll(async () => {
  await runtime?.stopCron();
  site?.cleanup();
  vi.restoreAllMocks();
});

describe("the first public page render", () => {
  it("registers mika_maintenance with the configured schedule, once", async () => {
    expect(site.calls).toEqual([]);
    expect(await readCronTasks(runtime.db)).toEqual([]);

    const contributions = await runtime.collectPageMetadata({ ...HOME_PAGE });

    expect(contributions).toEqual([]);
    expect(site.calls).toEqual([{ hook: "page:metadata", hasCron: true }]);
    const rows = await readCronTasks(runtime.db);
    expect(rows).toEqual([
      expect.objectContaining({
        plugin_id: MIKA_PLUGIN_ID,
        task_name: MIKA_MAINTENANCE_TASK,
        schedule: "*/5 * * * *",
        enabled: 1,
      }),
    ]);

    await runtime.collectPageMetadata({ ...HOME_PAGE, path: "/about" });
    expect(await readCronTasks(runtime.db)).toEqual(rows);
  });
});
