/**
 * The example as a user runs it: `astro build`, then `wrangler dev --local` (the built Worker in
 * workerd, both D1 databases local SQLite files, nothing reached outside 127.0.0.1), then the
 * Cron Trigger fired the way workerd fires it locally. Everything is checked in D1 itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildWorker,
  d1Execute,
  fireCronTrigger,
  type RunningWorker,
  startWorker,
} from "./support/worker-process.ts";

const CRON = "* * * * *";
const MINUTE = 60_000;

let persistTo: string;
let worker: RunningWorker;
const timings: Record<string, number> = {};

/** EmDash's row of the mika_maintenance task, read from the `DB` D1 database. */
async function maintenanceRow(): Promise<Record<string, unknown> | undefined> {
  const rows = await d1Execute(
    "DB",
    "select plugin_id, task_name, schedule, status, next_run_at, last_run_at " +
      "from _emdash_cron_tasks where task_name = 'mika_maintenance'",
    persistTo,
  );
  return rows[0];
}

beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), "mika-cf-worker-"));
  let started = performance.now();
  await buildWorker();
  timings.buildMs = performance.now() - started;
  started = performance.now();
  worker = await startWorker({ persistTo });
  timings.startMs = performance.now() - started;
}, 900_000);

afterAll(async () => {
  await worker?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
  console.info("[example-cloudflare-worker] timings (ms):", timings);
});

describe("the Worker in workerd (wrangler dev --local)", () => {
  it("serves the site from the built Worker", async () => {
    const response = await fetch(`${worker.url}/`, { redirect: "manual" });
    // EmDash sends a fresh site to its setup wizard; either way Astro answered.
    expect([200, 302]).toContain(response.status);
  });

  it("the first Cron Trigger registers mika_maintenance in EmDash's D1", async () => {
    const started = performance.now();
    const result = await fireCronTrigger(worker, { cron: CRON, scheduledTime: Date.now() });
    timings.firstTriggerMs = performance.now() - started;

    expect(result.outcome).toBe("ok");
    expect(await maintenanceRow()).toMatchObject({
      plugin_id: "mika-maintenance",
      task_name: "mika_maintenance",
      schedule: CRON,
      status: "idle",
    });
  });

  it("a due tick runs mika_maintenance at the trigger's scheduled time", async () => {
    // A whole minute in the past: the minute this trigger was scheduled for, and the minute
    // EmDash's row is due (on a matching schedule both are the same minute).
    const scheduledTime = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
    const scheduledAt = new Date(scheduledTime).toISOString();
    await d1Execute(
      "DB",
      `update _emdash_cron_tasks set next_run_at = '${scheduledAt}' ` +
        "where task_name = 'mika_maintenance'",
      persistTo,
    );

    const started = performance.now();
    const result = await fireCronTrigger(worker, { cron: CRON, scheduledTime });
    timings.dueTriggerMs = performance.now() - started;

    expect(result.outcome).toBe("ok");
    await worker.waitForLine(
      new RegExp(`Cron Trigger "\\* \\* \\* \\* \\*" for ${scheduledAt}`),
      5_000,
    );
    await worker.waitForLine(
      new RegExp(`mika_maintenance finished \\{\\s*now: '${scheduledAt}',\\s*ok: true`),
      30_000,
    );
    const row = await maintenanceRow();
    expect(row).toMatchObject({ status: "idle" });
    expect(row?.last_run_at).not.toBeNull();
    expect(Date.parse(String(row?.next_run_at))).toBeGreaterThan(scheduledTime);
  });
});
