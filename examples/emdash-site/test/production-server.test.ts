/**
 * The README's production path, end to end: `astro build`, then `node dist/server/entry.mjs` in a
 * fresh working directory (no `data/` folder). With no request at all, the server must put
 * `mika_maintenance` into EmDash's cron table, and EmDash's own timer must run it: seeded expired
 * reservations are released. The admin page is then read through EmDash's real plugin route.
 */

import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDirectory } from "../../../packages/emdash/test/support/emdash-database.ts";
import { seedExpiredReservation } from "../../../packages/emdash/test/support/stock-fixture.ts";
import { screenshotAdminPage } from "./support/admin-screenshot.ts";
import { createAdminToken } from "./support/emdash-admin-token.ts";
import { buildSite, type RunningSite, startSite } from "./support/site-process.ts";

const scratch = createScratchDirectory("mika-emdash-production-");
const emdashUrl = `file:${scratch.path}/data/emdash.db`;
const mikaUrl = `file:${scratch.path}/data/mika-maintenance.db`;
const port = 43_000 + Math.floor(Math.random() * 2_000);
let site: RunningSite;
let token: string;

/** Kept after the run (CI artifact): EmDash's admin showing the plugin's page. */
const SCREENSHOT = fileURLToPath(
  new URL("../test-artifacts/mika-maintenance-admin-page.png", import.meta.url),
);

beforeAll(async () => {
  await buildSite();
  site = startSite({ cwd: scratch.path, port });
}, 300_000);

afterAll(async () => {
  await site?.stop();
  scratch.cleanup();
});

async function cronRows() {
  const client = createClient({ url: emdashUrl });
  try {
    // The server writes to this file too; wait for its lock instead of failing at once.
    await client.execute("PRAGMA busy_timeout = 10000");
    const result = await client.execute(
      "SELECT task_name, schedule, next_run_at, last_run_at FROM _emdash_cron_tasks WHERE plugin_id = 'mika-maintenance'",
    );
    return result.rows;
  } finally {
    client.close();
  }
}

async function postAdmin(token: string, interaction: unknown) {
  const response = await fetch(`${site.url}/_emdash/api/plugins/mika-maintenance/admin`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(interaction),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    data: { blocks: Array<Record<string, unknown>>; toast?: { message: string; type: string } };
  };
}

describe("the production server (node dist/server/entry.mjs)", () => {
  it("schedules mika_maintenance with no request, and EmDash's timer runs it", async () => {
    const checkedAt = await site.waitForLine(/mika_maintenance checked at server start/, 60_000);
    console.info(
      `[e2e] server start -> task in EmDash's cron table: ${Math.round(checkedAt - site.startedAt)} ms (no request)`,
    );
    const [row] = await cronRows();
    expect(row).toMatchObject({
      task_name: "mika_maintenance",
      schedule: "* * * * *",
      last_run_at: null,
    });

    // Due work, written to the store the plugin works on (created by the server at startup).
    const store = createLibsqlRepositories({ url: mikaUrl });
    const seeded = await seedExpiredReservation(store, new Date().toISOString());

    const ranAt = await site.waitForLine(
      /\[plugin:mika-maintenance\] mika_maintenance finished/,
      90_000,
    );
    console.info(
      `[e2e] server start -> first mika_maintenance run by EmDash's scheduler: ${Math.round(ranAt - site.startedAt)} ms (no request)`,
    );
    expect(site.output()).not.toMatch(/\[object Object\]|\[Object\]/);

    expect(await store.stock.getReservation(seeded.expiredId)).toMatchObject({ status: "expired" });
    expect(await store.stock.getReservation(seeded.liveId)).toMatchObject({ status: "active" });
    expect(await store.stock.getStockItem(seeded.stockItemId)).toMatchObject({
      quantityReserved: 2,
    });
    const [after] = await cronRows();
    expect(after?.last_run_at).not.toBeNull();
    await store.close();
  }, 180_000);

  it("serves the admin page through EmDash's plugin route, with the run kept in the store", async () => {
    token = await createAdminToken(emdashUrl);
    const page = await postAdmin(token, { type: "page_load", page: "/" });
    const text = JSON.stringify(page.data.blocks);
    expect(page.data.blocks[0]).toEqual({ type: "header", text: "Maintenance" });
    const lastRun = page.data.blocks.find((block) => block.block_id === "last-run") as {
      rows: Array<Record<string, string>>;
    };
    expect(lastRun.rows).toContainEqual(
      expect.objectContaining({
        task: "stockReservations",
        status: "completed",
        counters: expect.stringContaining("reservationsReleased=1"),
      }),
    );
    expect(text).toContain("Expired reservations still active");
    expect(text).toContain("Failures (24 h)");
    expect(text).toMatch(/"label":"Next run","value":"\d{4}-/);

    const widget = await postAdmin(token, { type: "page_load", page: "widget:maintenance" });
    expect(JSON.stringify(widget.data.blocks)).toContain("Run now");

    const ran = await postAdmin(token, { type: "block_action", action_id: "run_now" });
    expect(ran.data.toast).toMatchObject({
      type: "success",
      message: expect.stringMatching(/^Ran one sweep: \d+ completed, 0 failed, \d+ skipped\.$/),
    });
    const recent = ran.data.blocks.find((block) => block.block_id === "recent-runs") as {
      rows: Array<Record<string, string>>;
    };
    expect(recent.rows.map((row) => row.trigger)).toEqual(["run now", "cron"]);
  }, 60_000);

  it("renders the admin page in headless Chromium (screenshot kept as a test artifact)", async () => {
    const text = await screenshotAdminPage({
      url: `${site.url}/_emdash/admin/plugins/mika-maintenance/`,
      token,
      text: "Last run, per task",
      file: SCREENSHOT,
    });
    expect(text).toContain("Recent runs");
    expect(text).toContain("stockReservations");
    expect(text).toContain("Run now");
    expect(existsSync(SCREENSHOT) && statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    console.info(`[e2e] admin page screenshot: ${SCREENSHOT}`);
  }, 120_000);

  it("rejects the admin route without credentials", async () => {
    const response = await fetch(`${site.url}/_emdash/api/plugins/mika-maintenance/admin`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-emdash-request": "1" },
      body: JSON.stringify({ type: "page_load", page: "/" }),
    });
    expect(response.status).toBe(401);
  });
});
