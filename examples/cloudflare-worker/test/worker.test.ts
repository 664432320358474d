/**
 * The example as a user runs it: `astro build`, then `wrangler dev --local` (the built Worker in
 * workerd, both D1 databases local SQLite files, nothing reached outside 127.0.0.1), then the
 * Cron Trigger fired the way workerd fires it locally. Everything is checked in D1 itself:
 * EmDash's cron table in `DB`, the maintenance store's tables in `MIKA_DB`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIKA_D1_MIGRATIONS } from "@mika-maintenance/d1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildWorker,
  d1Execute,
  d1ExecuteEach,
  fireCronTrigger,
  type RunningWorker,
  startWorker,
} from "./support/worker-process.ts";

const CRON = "* * * * *";
/** The time sql/*.sql and the README use for the due trigger: 2026-01-01T00:00:00Z. */
const T = Date.parse("2026-01-01T00:00:00.000Z");

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

  it("the first Cron Trigger migrates MIKA_DB and registers mika_maintenance in DB", async () => {
    const started = performance.now();
    const result = await fireCronTrigger(worker, { cron: CRON, scheduledTime: Date.now() });
    timings.firstTriggerMs = performance.now() - started;

    expect(result.outcome).toBe("ok");
    const applied = await d1Execute(
      "MIKA_DB",
      "select name from mika_migrations order by name",
      persistTo,
    );
    expect(applied.map((row) => row.name)).toEqual(MIKA_D1_MIGRATIONS.map((m) => m.name));
    expect(await maintenanceRow()).toMatchObject({
      plugin_id: "mika-maintenance",
      task_name: "mika_maintenance",
      schedule: CRON,
      status: "idle",
    });
  });

  it("a due tick moves the due rows in MIKA_DB, with the trigger's scheduled time as now", async () => {
    // The README's steps: seed due work around T, make EmDash's row due at T, fire at T.
    await d1ExecuteEach("MIKA_DB", { file: "sql/seed-due-work.sql" }, persistTo);
    await d1ExecuteEach("DB", { file: "sql/make-maintenance-due.sql" }, persistTo);
    const scheduledAt = new Date(T).toISOString();
    expect(await maintenanceRow()).toMatchObject({ next_run_at: scheduledAt });

    const started = performance.now();
    const result = await fireCronTrigger(worker, { cron: CRON, scheduledTime: T });
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
    expect(Date.parse(String(row?.next_run_at))).toBeGreaterThan(T);

    const [emails, ephemeral, reservations, stockItems, laneRuns = []] = await d1ExecuteEach(
      "MIKA_DB",
      { file: "sql/read-maintenance-rows.sql" },
      persistTo,
    );
    // Due a minute before T: moved, stamped with T. Due 30 s after T (and months before the
    // wall clock): untouched, so the sweep's `now` was T.
    expect(emails).toEqual([
      expect.objectContaining({ id: "email-due", status: "sent", attempt_count: 1, sent_at: T }),
      {
        id: "email-later",
        status: "queued",
        attempt_count: 0,
        sent_at: null,
        next_attempt_at: T + 30_000,
      },
    ]);
    expect(ephemeral).toEqual([{ kind: "token", key: "token-live" }]);
    expect(reservations).toEqual([
      { id: "reservation-expired", status: "expired", ended_at: T },
      { id: "reservation-live", status: "active", ended_at: null },
    ]);
    expect(stockItems).toEqual([{ id: "sku-tea", quantity_reserved: 1 }]);
    // The sweep's run records, one per task, all started at T.
    expect(laneRuns).toEqual(
      expect.arrayContaining(
        ["emailOutbox", "ephemeralRecords", "stockReservations"].map((lane) => ({
          lane,
          instance_id: "emdash",
          started_at: T,
          status: "completed",
        })),
      ),
    );
    expect(laneRuns.map((run) => run.started_at)).toEqual(laneRuns.map(() => T));
    await worker.waitForLine(
      /\[email\] stand-in sender, not delivered: email-due "Your order"/,
      5_000,
    );
  });
});
