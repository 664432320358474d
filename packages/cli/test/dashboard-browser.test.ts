import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MIKA_MAINTENANCE_TASKS } from "@mika-maintenance/core";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./support/backend-suite.ts";
import { type CliBackend, prepareStore } from "./support/backends.ts";
import { type RunningCli, startCli } from "./support/cli-process.ts";
import { type SeededDashboard, seedDashboard } from "./support/seed-dashboard.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../../artifacts/dashboard/", import.meta.url));
/** Polls the page until it agrees; its own refresh is every 5 s, so allow two of them. */
const POLL = { timeout: 15_000, interval: 250 };
const TOKEN = "dashboard-e2e-admin-token-0123";
/** The page lists every lane of the lane list, however many there are. */
const LANES = MIKA_MAINTENANCE_TASKS.length;

let browser: Browser;
const processes: RunningCli[] = [];
const backends: CliBackend[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The dashboard test needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium).`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-background-networking"],
  });
});

afterAll(async () => {
  await browser?.close();
  for (const running of processes) {
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill("SIGKILL");
    }
  }
  await Promise.all(processes.map((running) => running.exited));
  await Promise.all(backends.map((backend) => backend.dispose()));
});

async function startDashboard(backend: CliBackend, extra: string[]): Promise<string> {
  const running = startCli(["dashboard", ...backend.flags, "--listen", "127.0.0.1:0", ...extra], {
    cwd: backend.dir,
    env: { MIKA_ADMIN_TOKEN: "" },
  });
  processes.push(running);
  const line = await running.waitFor(
    (candidate) => /dashboard on http/.test(String(candidate.raw ?? "")),
    "dashboard listening",
  );
  return /(http:\/\/[^/\s]+)/.exec(String(line.raw))![1]!;
}

/** The text a person sees in the first match (rendered, so CSS-hidden text is left out). */
async function text(page: Page, selector: string): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the test reads what the operator sees.
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, " ").trim();
}

describe.each(BACKENDS)("the dashboard in headless Chromium on %s", (name, create) => {
  let backend: CliBackend;
  let seeded: SeededDashboard;

  beforeAll(async () => {
    backend = await create(`dash_${name}`);
    backends.push(backend);
    await prepareStore(backend, async (store) => {
      seeded = await seedDashboard(store);
    });
  });

  it("shows lanes, sparklines, backlog, leader and failures with the seeded values", async () => {
    const url = await startDashboard(backend, ["--admin-token", TOKEN]);
    // The live replica beats every 10 s; on a loaded machine starting the server takes longer
    // than the 30 s after which the seeded beat would look stale, so it beats once more.
    const store = backend.open();
    try {
      await store.runtimeState.recordHeartbeat({
        instanceId: "replica-a",
        host: "maint-0",
        pid: 101,
        startedAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
        lastBeatAt: new Date().toISOString(),
        isLeader: true,
      });
    } finally {
      await store.close();
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${url}/`);
      await expect.poll(() => page.locator("table.lanes tbody tr").count(), POLL).toBe(LANES);

      const ephemeral = page.locator("#lane-ephemeralRecords");
      await expect.poll(() => ephemeral.getAttribute("data-health"), POLL).toBe("ok");
      const spark = ephemeral.locator("svg.sparkline");
      expect(Number(await spark.getAttribute("data-moved"))).toBe(seeded.ephemeralMoved);
      expect(Number(await spark.getAttribute("data-passes"))).toBe(seeded.ephemeralPasses);
      expect(await spark.getAttribute("aria-label")).toContain(
        `${seeded.ephemeralMoved} items moved in ${seeded.ephemeralPasses} passes`,
      );
      expect(await spark.locator("rect.spark-moved[height]:not([height='0.0'])").count()).toBe(23);
      expect(await text(page, "#lane-ephemeralRecords td[data-label='Every']")).toBe("1 min");
      // Seeded 30 s before the server started; a loaded machine may take a minute to get here.
      expect(await text(page, "#lane-ephemeralRecords .last-run")).toMatch(
        /^(\d+ min )?\d+ s ago completed in 40 ms$/,
      );
      expect(
        await page.locator("#lane-ephemeralRecords .last-run time").getAttribute("title"),
      ).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

      const workflows = page.locator("#lane-stuckWorkflows svg.sparkline");
      expect(Number(await workflows.getAttribute("data-failures"))).toBe(seeded.workflowFailures);
      expect(await workflows.locator("rect.spark-fail").count()).toBe(2);

      // The 5-second outbox lane kept only its newest 100 runs, yet every one of the 24 hours
      // shows what its passes moved and failed, from the store's hourly rollup.
      expect(seeded.outboxRunsKept).toBe(100);
      const outbox = page.locator("#lane-emailOutbox svg.sparkline");
      expect(await outbox.locator("g[data-hour]").count()).toBe(24);
      const drawn = await outbox.locator("g[data-hour]").evaluateAll((groups) =>
        groups.map((group) => ({
          hourStartAt: group.getAttribute("data-hour"),
          passes: Number(group.getAttribute("data-passes")),
          moved: Number(group.getAttribute("data-moved")),
          failures: Number(group.getAttribute("data-failures")),
        })),
      );
      // Compared by hour, so a run that crosses the top of an hour still checks every bucket.
      const seededHours = seeded.outboxHours.filter((hour) =>
        drawn.some((bucket) => bucket.hourStartAt === hour.hourStartAt),
      );
      expect(seededHours.length).toBeGreaterThanOrEqual(23);
      for (const hour of seededHours) {
        expect(drawn.find((bucket) => bucket.hourStartAt === hour.hourStartAt)).toEqual(hour);
      }
      expect(Number(await outbox.getAttribute("data-moved"))).toBe(
        seededHours.reduce((total, hour) => total + hour.moved, 0),
      );

      expect(await page.locator("#backlog-expiredReservations").getAttribute("data-count")).toBe(
        String(seeded.expiredReservations),
      );
      expect(await text(page, "#backlog-dueEmails")).toMatch(/5 items oldest 2 min/);
      const acp = seeded.acpSessionsPastTtl;
      expect(await page.locator("#backlog-acpSessionsPastTtl").getAttribute("data-count")).toBe(
        String(acp.count),
      );
      expect(await text(page, "#backlog-acpSessionsPastTtl")).toMatch(
        new RegExp(`^ACP sessions past TTL ${acp.count} items oldest ${acp.oldestAgeText}\\b`),
      );
      const blocked = seeded.blockedAccountDeletes;
      expect(await text(page, "#backlog-blockedAccountDeletes")).toMatch(
        new RegExp(
          `^Blocked account deletions, 30 days ${blocked.count} item oldest ${blocked.oldestAgeText}\\b`,
        ),
      );
      // A fresh server has seen no earlier sample, and says so rather than guessing.
      expect(await text(page, "#backlog-blockedAccountDeletes")).toMatch(/no trend yet|steady/);

      const leader = page.locator("#leader");
      expect(await leader.getAttribute("data-holder")).toBe(seeded.leader.holder);
      expect(await leader.getAttribute("data-term")).toBe(String(seeded.leader.term));
      expect(await text(page, "#summary-leader strong")).toBe("replica-a");
      expect(await text(page, "#summary-leader")).toContain("term 7");
      expect(await text(page, `tr[data-instance='${seeded.staleInstance}']`)).toContain("stale");
      expect(await text(page, "tr[data-instance='replica-a']")).toContain("live");

      expect(await text(page, "table.failures")).toContain(seeded.failureError);
      expect(await page.locator("table.failures tbody tr").count()).toBe(2);

      // Every control has an accessible name.
      for (const button of await page.locator("button").all()) {
        expect(await button.getAttribute("aria-label")).toMatch(/^(Run|Pause|Resume) \w+/);
      }
      expect(await page.getByLabel("Admin token").count()).toBe(1);

      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.screenshot({
        path: path.join(ARTIFACTS, `${name}-1280-dark.png`),
        fullPage: true,
      });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: "light" });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-390.png`), fullPage: true });
      expect(
        await page.evaluate<number>("document.documentElement.scrollWidth"),
      ).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });

  it('"run now" with the token changes the lane\'s last run; pause is recorded in the store', async () => {
    const url = await startDashboard(backend, ["--admin-token", TOKEN]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${url}/`);
      const row = page.locator("#lane-stockReservations");
      expect(await text(page, "#lane-stockReservations .last-run")).toBe("never");

      // Without the token typed in, the server refuses and the page says so.
      await page.getByRole("button", { name: "Run stockReservations now" }).click();
      await expect
        .poll(() => text(page, "#action-result"), POLL)
        .toContain("needs the admin token");
      expect(await text(page, "#lane-stockReservations .last-run")).toBe("never");

      await page.getByLabel("Admin token").fill(TOKEN);
      await page.getByRole("button", { name: "Run stockReservations now" }).click();
      await expect
        .poll(() => text(page, "#action-result"), POLL)
        .toContain("stockReservations ran");
      await expect
        .poll(() => text(page, "#lane-stockReservations .last-run"), POLL)
        .toMatch(/^(now|\d+ ms ago|\d+(\.\d)? s ago) completed in \d+ ms$/);
      expect(await text(page, "#lane-stockReservations .counters")).toContain(
        `reservationsReleased ${seeded.expiredReservations}`,
      );
      await expect.poll(() => row.getAttribute("data-health"), POLL).toBe("ok");

      await page.getByRole("button", { name: "Pause ephemeralRecords" }).click();
      await expect
        .poll(() => page.locator("#lane-ephemeralRecords").getAttribute("data-health"), POLL)
        .toBe("paused");
      const store = backend.open();
      try {
        expect(await store.runtimeState.listLanePauses()).toEqual([
          expect.objectContaining({ lane: "ephemeralRecords", pausedBy: "dashboard" }),
        ]);
        const [latest] = await store.runtimeState.listLaneRunHistory({
          since: new Date(Date.now() - 60_000).toISOString(),
          limit: 1,
          lane: "stockReservations",
        });
        expect(latest?.instanceId).toMatch(/^dashboard:/);
      } finally {
        await store.close();
      }
      await page.getByRole("button", { name: "Resume ephemeralRecords" }).click();
      await expect
        .poll(() => page.locator("#lane-ephemeralRecords").getAttribute("data-health"), POLL)
        .toBe("ok");
    } finally {
      await page.close();
    }
  });

  it("without a token offers no action, and the action endpoint answers 403", async () => {
    const url = await startDashboard(backend, []);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${url}/`);
      await expect.poll(() => page.locator("table.lanes tbody tr").count(), POLL).toBe(LANES);
      expect(await page.locator("button").count()).toBe(0);
      expect(await page.getByLabel("Admin token").count()).toBe(0);
      expect(await text(page, ".readonly")).toBe("Read-only");
      const statuses = await page.evaluate(async () => {
        const post = (lane: string, action: string, token?: string) =>
          fetch(`/api/lanes/${lane}/${action}`, {
            method: "POST",
            headers: token ? { authorization: `Bearer ${token}` } : {},
          }).then((response) => response.status);
        return [
          await post("stockReservations", "run"),
          await post("stockReservations", "pause", "guess"),
        ];
      });
      expect(statuses).toEqual([403, 403]);
      const model = (await page.evaluate(() =>
        fetch("/api/dashboard").then((response) => response.json()),
      )) as { actions: unknown };
      expect(model.actions).toEqual({ enabled: false });
    } finally {
      await page.close();
    }
  });
});
