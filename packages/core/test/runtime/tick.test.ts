import { describe, expect, it } from "vitest";
import type { MikaTickReport } from "../../src/index.ts";
import { createMikaEmailOutboxRunner } from "../../src/index.ts";
import { withFaults } from "./faults.ts";
import { createFixture, createMemoryRepositories } from "./harness.ts";
import { seedEmails, seedReservations } from "./seed.ts";

const outcomes = (report: MikaTickReport) =>
  Object.fromEntries(report.lanes.map((lane) => [lane.lane, lane.outcome]));

describe("runtime tick", () => {
  it("runs only the lanes that are due", async () => {
    const fixture = createFixture();
    const runtime = fixture.create();

    const first = await runtime.tick({ budgetMs: 10_000 });
    expect(Object.values(outcomes(first))).toEqual(Array(9).fill("ran"));
    expect(first.ok).toBe(true);

    const again = await runtime.tick({ budgetMs: 10_000 });
    expect(Object.values(outcomes(again))).toEqual(Array(9).fill("not_due"));
    expect(again.lanes.find((lane) => lane.lane === "stockReservations")?.nextDueAt).toBe(
      "2026-03-01T10:00:05.000Z",
    );

    await fixture.scheduler.advance(5_000);
    const later = await runtime.tick({ budgetMs: 10_000 });
    expect(outcomes(later)).toEqual({
      emailOutbox: "ran",
      stuckEmails: "not_due",
      rawProviderPayloads: "not_due",
      acpSessions: "ran",
      stockReservations: "ran",
      ephemeralRecords: "not_due",
      accountDeleteRequests: "not_due",
      stuckWorkflows: "not_due",
      webhookRetries: "not_due",
    });
  });

  it("never runs the same lane twice across concurrent ticks", async () => {
    const fixture = createFixture();
    await seedReservations(
      fixture.repositories,
      Array.from({ length: 30 }, () => -1),
    );
    const runtimes = ["a", "b", "c", "d"].map((instanceId) => fixture.create({ instanceId }));

    const reports = await Promise.all(
      runtimes.map((runtime) => runtime.tick({ budgetMs: 10_000 })),
    );

    for (const lane of runtimes[0]!.lanes) {
      const ran = reports.filter((report) => outcomes(report)[lane.lane] === "ran");
      expect(ran, lane.lane).toHaveLength(1);
      const others = reports.filter((report) => outcomes(report)[lane.lane] !== "ran");
      for (const report of others) {
        expect(["claimed_elsewhere", "not_due"]).toContain(outcomes(report)[lane.lane]);
      }
    }
    expect(fixture.signals.passes("stockReservations")).toHaveLength(1);
    expect(fixture.signals.passes("stockReservations")[0]?.counters.reservationsReleased).toBe(30);
  });

  it("does not duplicate a lane the running leader just ran", async () => {
    const fixture = createFixture();
    const leader = fixture.create({ instanceId: "leader" });
    const ticker = fixture.create({ instanceId: "ticker" });
    const stop = new AbortController();
    const running = leader.run({ signal: stop.signal });
    await fixture.scheduler.advance(2_000);

    const report = await ticker.tick({ budgetMs: 5_000 });
    // The every-replica outbox lane is never claimed by run(): a tick may drain it too.
    const { emailOutbox, ...leaderLanes } = outcomes(report);
    expect(Object.values(leaderLanes)).toEqual(Array(8).fill("not_due"));
    expect(emailOutbox).toBe("ran");

    await fixture.scheduler.advance(8_000);
    const tickerLanes = fixture.signals.passes(undefined, "ticker").map((pass) => pass.lane);
    expect(tickerLanes.filter((lane) => lane !== "emailOutbox")).toEqual([]);
    stop.abort();
    await running;
  });

  it("returns within its budget when a lane blocks, with the blocked lane abandoned", async () => {
    const repositories = createMemoryRepositories();
    repositories.ops.purgeWebhookRawPayloads = () => new Promise(() => {});
    const fixture = createFixture({ repositories });
    const runtime = fixture.create();

    let report: MikaTickReport | undefined;
    const ticking = runtime.tick({ budgetMs: 2_000 }).then((done) => {
      report = done;
    });
    await fixture.scheduler.advance(1_799);
    expect(report).toBeUndefined();
    await fixture.scheduler.advance(1);
    await ticking;

    expect(report!.durationMs).toBeLessThanOrEqual(2_000);
    expect(report!.ok).toBe(false);
    const purge = report!.lanes.find((lane) => lane.lane === "rawProviderPayloads")!;
    expect(purge.passes).toMatchObject([{ status: "abandoned", durationMs: 1_800 }]);
    const stock = report!.lanes.find((lane) => lane.lane === "stockReservations")!;
    expect(stock.passes).toMatchObject([{ status: "completed", durationMs: 0 }]);
  });

  it("returns within its budget even when the store stops answering", async () => {
    const fixture = createFixture();
    const frozen = withFaults(fixture.repositories);
    frozen.fail("hang");
    const runtime = fixture.create({
      repositories: frozen.repositories,
      emailOutboxRunner: undefined,
    });
    const ticking = runtime.tick({ budgetMs: 3_000 });
    await fixture.scheduler.advance(3_000);
    const report = await ticking;
    expect(report.durationMs).toBe(3_000);
    expect(report.ok).toBe(false);
    expect(report.lanes.every((lane) => lane.outcome === "error")).toBe(true);
  });

  it("keeps draining a lane that reports hasMore while budget remains", async () => {
    const fixture = createFixture();
    await seedReservations(
      fixture.repositories,
      Array.from({ length: 1_200 }, () => -1),
    );
    const runtime = fixture.create();
    const report = await runtime.tick({ budgetMs: 10_000 });
    const stock = report.lanes.find((lane) => lane.lane === "stockReservations")!;
    expect(stock.passes.map((pass) => pass.counters.reservationsReleased)).toEqual([500, 500, 200]);
    expect((await runtime.tick({ budgetMs: 10_000, maxPassesPerLane: 1 })).ok).toBe(true);
  });

  it("records lane runs without a heartbeat (no instance left behind), and prunes its own history", async () => {
    const fixture = createFixture();
    await fixture.repositories.runtimeState.recordHeartbeat({
      instanceId: "gone",
      host: "old-host",
      pid: 1,
      startedAt: "2026-02-20T00:00:00.000Z",
      lastBeatAt: "2026-02-27T00:00:00.000Z",
      isLeader: false,
    });
    const runtime = fixture.create({ instanceId: "ticker", retention: { runsPerLane: 3 } });
    for (let tick = 0; tick < 10; tick++) {
      await runtime.tick({ budgetMs: 1_000 });
      await fixture.scheduler.advance(5_000);
    }
    const runs = await fixture.repositories.runtimeState.listLaneRuns({ perLane: 100 });
    const stockRuns = runs.filter((run) => run.lane === "stockReservations");
    expect(stockRuns).toHaveLength(3);
    expect(stockRuns[0]).toMatchObject({ instanceId: "ticker", status: "completed" });
    expect(stockRuns[0]?.counters).toMatchObject({ reservationsReleased: 0, hasMore: false });
    const beats = await fixture.repositories.runtimeState.listHeartbeats({ limit: 10 });
    // The old heartbeat is pruned; a tick leaves none of its own that would turn STALE.
    expect(beats).toEqual([]);
  });

  it("stops claiming at the budget: a long email drain is backlog, not failure", async () => {
    const fixture = createFixture({ withSender: false });
    await seedEmails(fixture.repositories, 30);
    const runtime = fixture.create({
      emailOutboxRunner: createMikaEmailOutboxRunner({
        repositories: fixture.repositories,
        // One send at a time, so the budget holds a known number of sends.
        concurrency: 1,
        sender: async (message) => {
          await fixture.scheduler.sleep(1_000);
          return { providerMessageId: `pm-${message.emailId}` };
        },
      }),
    });
    const ticking = runtime.tick({ budgetMs: 5_000 });
    await fixture.scheduler.advance(5_000);
    const report = await ticking;

    const email = report.lanes.find((lane) => lane.lane === "emailOutbox")!;
    expect(email.passes).toMatchObject([{ status: "completed", hasMore: true }]);
    expect(email.passes[0]?.counters.sent).toBe(4);
    expect(report).toMatchObject({ ok: true, failed: [], backlog: ["emailOutbox"] });
    expect(report.durationMs).toBeLessThanOrEqual(5_000);
    expect(report.summary).toBe(
      "tick ok: 9 passes in 4000 of 5000 ms; backlog left for the next tick: emailOutbox",
    );

    // The backlog makes the lane due at the next tick, whatever its interval.
    const next = runtime.tick({ budgetMs: 5_000 });
    await fixture.scheduler.advance(5_000);
    const again = await next;
    expect(outcomes(again).emailOutbox).toBe("ran");
    expect(outcomes(again).stuckEmails).toBe("not_due");
  });

  it("defers a lane whose recent passes the remaining budget cannot hold", async () => {
    const fixture = createFixture();
    await fixture.repositories.runtimeState.recordLaneRun({
      id: "slow-run",
      lane: "stockReservations",
      instanceId: "earlier",
      startedAt: "2026-03-01T09:00:00.000Z",
      finishedAt: "2026-03-01T09:00:04.000Z",
      durationMs: 4_000,
      status: "completed",
      counters: { reservationsReleased: 400, hasMore: false },
      error: null,
    });
    const report = await fixture.create().tick({ budgetMs: 3_000 });
    const stock = report.lanes.find((lane) => lane.lane === "stockReservations")!;
    expect(stock).toMatchObject({
      outcome: "deferred",
      passes: [],
      backlog: true,
      expectedPassMs: 4_000,
    });
    expect(stock.error).toMatch(/could not hold a pass \(recent passes took up to 4000 ms\)/);
    expect(report).toMatchObject({ ok: true, deferred: ["stockReservations"] });
    expect(outcomes(report).emailOutbox).toBe("ran");
  });

  it("validates the budget", async () => {
    const runtime = createFixture().create();
    await expect(runtime.tick({ budgetMs: 0 })).rejects.toThrow(/budgetMs must be a whole number/);
    await expect(runtime.tick({ budgetMs: Number.POSITIVE_INFINITY })).rejects.toThrow(/budgetMs/);
  });
});
