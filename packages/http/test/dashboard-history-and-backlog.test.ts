import { createMemoryRepositories } from "@mika-maintenance/memory";
import { describe, expect, it } from "vitest";
import { createMaintenanceHttp, type MikaDashboardModel } from "../src/index.ts";

const HOUR = 3_600_000;
// 40 minutes into the hour, so the newest bucket is the current, partly filled hour.
const NOW = Date.parse("2026-11-29T03:40:00.000Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

async function model(http: ReturnType<typeof createMaintenanceHttp>): Promise<MikaDashboardModel> {
  return (await (
    await http.fetch(new Request("http://localhost/api/dashboard"))
  ).json()) as MikaDashboardModel;
}

describe("the dashboard's 24 hours and backlog", () => {
  it("draws 24 hourly buckets from the rollup although only the newest runs are kept", async () => {
    const repositories = createMemoryRepositories();
    const currentHour = NOW - (NOW % HOUR);
    // A 5-second lane: 60 passes an hour for 24 hours (the last hour up to now), each sending
    // `bucket + 1` emails; in odd hours one pass fails an item.
    for (let bucket = 0; bucket < 24; bucket += 1) {
      const start = currentHour - (23 - bucket) * HOUR;
      for (let pass = 0; pass < 60; pass += 1) {
        const startedAt = new Date(start + pass * 30_000).toISOString();
        await repositories.runtimeState.recordLaneRun({
          id: `run-${bucket}-${pass}`,
          lane: "emailOutbox",
          instanceId: "replica-a",
          startedAt,
          finishedAt: startedAt,
          durationMs: 3,
          status: "completed",
          counters: { sent: bucket + 1, failed: bucket % 2 === 1 && pass === 0 ? 1 : 0 },
          error: null,
        });
      }
    }
    // What the runtime does: keep 100 runs per lane, under two hours of this lane.
    await repositories.runtimeState.pruneLaneRuns({ keepPerLane: 100 });

    const http = createMaintenanceHttp({ repositories, prometheus: false, now: () => NOW });
    const lane = (await model(http)).lanes.find((candidate) => candidate.lane === "emailOutbox");
    const buckets = lane!.history.buckets;
    expect(buckets).toHaveLength(24);
    expect(buckets[0]!.startAt).toBe(new Date(currentHour - 23 * HOUR).toISOString());
    expect(buckets[23]!.startAt).toBe(new Date(currentHour).toISOString());
    expect(buckets.map((bucket) => bucket.passes)).toEqual(Array(24).fill(60));
    expect(buckets.map((bucket) => bucket.moved)).toEqual(
      Array.from({ length: 24 }, (_, bucket) => 60 * (bucket + 1)),
    );
    expect(buckets.map((bucket) => bucket.failures)).toEqual(
      Array.from({ length: 24 }, (_, bucket) => bucket % 2),
    );
    expect(lane!.history).toMatchObject({ passes: 1_440, moved: 18_000, failures: 12 });

    const page = await (await http.fetch(new Request("http://localhost/"))).text();
    const row = page.slice(page.indexOf('id="lane-emailOutbox"'));
    expect(row).toContain(`data-hour="${new Date(currentHour).toISOString()}" data-moved="1440"`);
  });

  it("shows blocked erasures and ACP sessions past TTL with their oldest ages, in metrics too", async () => {
    const repositories = createMemoryRepositories();
    for (const minutes of [20, 5]) {
      await repositories.acpSessions.createSession({
        ttlMs: 60_000,
        now: at(-(minutes + 1) * 60_000),
      });
    }
    const request = await repositories.ops.queueAccountDeleteRequest({
      customerId: "customer-1",
      now: at(-3 * 24 * HOUR),
    });
    await repositories.ops.failAccountDeleteRequest({
      requestId: request.id,
      now: at(-2 * 24 * HOUR),
      error: "Account delete blocked: subscription sub-1 is active.",
    });

    const http = createMaintenanceHttp({ repositories, now: () => NOW });
    const backlog = (await model(http)).backlog;
    expect(backlog.find((figure) => figure.key === "acpSessionsPastTtl")).toMatchObject({
      label: "ACP sessions past TTL",
      count: 2,
      oldestAt: at(-20 * 60_000),
      oldestAgeMs: 20 * 60_000,
    });
    expect(backlog.find((figure) => figure.key === "blockedAccountDeletes")).toMatchObject({
      count: 1,
      oldestAt: at(-3 * 24 * HOUR),
      oldestAgeMs: 3 * 24 * HOUR,
    });

    const page = await (await http.fetch(new Request("http://localhost/"))).text();
    expect(page).toContain('id="backlog-acpSessionsPastTtl" data-count="2"');
    expect(page).toContain('id="backlog-blockedAccountDeletes" data-count="1"');
    expect(page).toContain("oldest 3 d");

    const metrics = await (await http.fetch(new Request("http://localhost/metrics"))).text();
    expect(metrics).toContain('mika_maintenance_backlog_items{backlog="acpSessionsPastTtl"} 2');
    expect(metrics).toContain('mika_maintenance_backlog_items{backlog="blockedAccountDeletes"} 1');
    expect(metrics).toContain(
      'mika_maintenance_backlog_oldest_age_seconds{backlog="acpSessionsPastTtl"} 1200',
    );
  });

  it("says how a backlog moved against the figure an hour earlier", async () => {
    const repositories = createMemoryRepositories();
    let now = NOW - 2 * HOUR;
    const http = createMaintenanceHttp({ repositories, prometheus: false, now: () => now });
    const trend = async () =>
      (await model(http)).backlog.find((figure) => figure.key === "dueEmails")!.trend;

    expect(await trend()).toMatchObject({ direction: "unknown" });
    const enqueue = async (count: number) => {
      for (let index = 0; index < count; index += 1) {
        await repositories.ops.enqueueEmail({
          to: `shopper-${now}-${index}@example.com`,
          subject: "Order confirmed",
          text: "Thanks!",
          now: new Date(now).toISOString(),
        });
      }
    };
    // A sample a minute over two hours: 2 emails at first, 5 from minute 60, 6 at the end.
    for (let minute = 1; minute <= 120; minute += 1) {
      now = NOW - 2 * HOUR + minute * 60_000;
      if (minute === 1) await enqueue(2);
      if (minute === 60) await enqueue(3);
      if (minute === 120) await enqueue(1);
      await model(http);
    }
    // Compared with the sample exactly an hour before, not with the first one.
    expect(await trend()).toMatchObject({ direction: "rising", delta: 1, sinceMs: HOUR });
  });
});
