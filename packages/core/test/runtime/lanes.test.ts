import { describe, expect, it } from "vitest";
import { MIKA_DEFAULT_LANES, MikaMaintenanceOptionsError } from "../../src/index.ts";
import { createFixture, createMemoryRepositories, sinceStart } from "./harness.ts";
import { seedReservations } from "./seed.ts";

describe("runtime lanes", () => {
  it("documents the default schedule: user-visible lanes every 5 s, hygiene less often", () => {
    const runtime = createFixture().create();
    const byLane = Object.fromEntries(runtime.lanes.map((lane) => [lane.lane, lane]));
    for (const lane of ["stockReservations", "emailOutbox", "acpSessions"] as const) {
      expect(byLane[lane]).toMatchObject({
        kind: "user-visible",
        intervalMs: 5_000,
        enabled: true,
      });
    }
    for (const lane of [
      "stuckEmails",
      "rawProviderPayloads",
      "ephemeralRecords",
      "accountDeleteRequests",
      "stuckWorkflows",
    ] as const) {
      expect(byLane[lane]?.kind).toBe("hygiene");
      expect(byLane[lane]?.intervalMs).toBeGreaterThanOrEqual(60_000);
    }
    expect(runtime.lanes.map((lane) => lane.lane)).toEqual(Object.keys(MIKA_DEFAULT_LANES));
  });

  it("runs each lane on its own interval", async () => {
    const fixture = createFixture();
    const runtime = fixture.create();
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });

    await fixture.scheduler.advance(60_000);

    const counts = Object.fromEntries(
      runtime.lanes.map((lane) => [lane.lane, fixture.signals.passes(lane.lane).length]),
    );
    expect(counts).toEqual({
      emailOutbox: 13,
      acpSessions: 13,
      stockReservations: 13,
      stuckEmails: 2,
      stuckWorkflows: 2,
      ephemeralRecords: 2,
      accountDeleteRequests: 2,
      rawProviderPayloads: 1,
      webhookRetries: 5,
    });
    expect(
      fixture.signals.passes("stockReservations").map((pass) => sinceStart(pass.startedAt)),
    ).toEqual(Array.from({ length: 13 }, (_, index) => index * 5_000));
    stop.abort();
    await running;
  });

  it("runs a lane again promptly, with jitter, while it reports hasMore", async () => {
    const fixture = createFixture();
    await seedReservations(
      fixture.repositories,
      Array.from({ length: 1_200 }, () => -1_000),
    );
    const runtime = fixture.create({ random: () => 0.2 });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });

    await fixture.scheduler.advance(6_000);

    const passes = fixture.signals.passes("stockReservations");
    // 250 ms base × (0.5 + 0.2) jitter = 175 ms between the catch-up passes.
    expect(passes.map((pass) => sinceStart(pass.startedAt))).toEqual([0, 175, 350, 5_350]);
    expect(passes.map((pass) => pass.counters.reservationsReleased)).toEqual([500, 500, 200, 0]);
    expect(passes.map((pass) => pass.hasMore)).toEqual([true, true, false, false]);
    stop.abort();
    await running;
  });

  it("never lets a blocked or failing hygiene lane delay a user-visible lane", async () => {
    const repositories = createMemoryRepositories();
    let purgeCalls = 0;
    // A purge that never answers (a lock wait that never ends) and a store that keeps failing.
    repositories.ops.purgeWebhookRawPayloads = () => {
      purgeCalls += 1;
      return new Promise(() => {});
    };
    repositories.ephemeral.purgeExpired = async () => {
      throw new Error("ephemeral store is unreachable");
    };
    const fixture = createFixture({ repositories });
    // Two reservations run out in every 5 s window for two minutes, across three items.
    const offsets = Array.from({ length: 48 }, (_, index) => 1_000 + index * 2_500);
    await seedReservations(repositories, offsets);
    const runtime = fixture.create();
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });

    for (let window = 1; window <= 26; window++) {
      await fixture.scheduler.advance(5_000);
      // Everything that expired before this window's pass is already released.
      const now = Date.parse("2026-03-01T10:00:00.000Z") + window * 5_000;
      const backlog = await repositories.stock.describeExpiredReservationBacklog({
        now: new Date(now).toISOString(),
      });
      expect(backlog.count).toBe(0);
    }

    const stock = fixture.signals.passes("stockReservations");
    expect(stock.map((pass) => sinceStart(pass.startedAt))).toEqual(
      Array.from({ length: 27 }, (_, index) => index * 5_000),
    );
    expect(stock.every((pass) => pass.status === "completed")).toBe(true);
    expect(stock.reduce((sum, pass) => sum + Number(pass.counters.reservationsReleased), 0)).toBe(
      48,
    );
    for (const item of ["sku-0", "sku-1", "sku-2"]) {
      expect((await repositories.stock.getStockItem(item))?.quantityReserved).toBe(0);
    }

    const purge = fixture.signals.passes("rawProviderPayloads");
    expect(purge).toHaveLength(1);
    expect(purge[0]).toMatchObject({ status: "abandoned", durationMs: 120_000 });
    expect(purgeCalls).toBe(1);
    const ephemeral = fixture.signals.passes("ephemeralRecords");
    expect(ephemeral.map((pass) => pass.status)).toEqual(["failed", "failed", "failed"]);
    expect(ephemeral[0]?.error).toBe("ephemeral store is unreachable");

    stop.abort();
    await running;
  });

  it("never runs a disabled lane and records a skipped lane once", async () => {
    const fixture = createFixture({ withSender: false });
    const runtime = fixture.create({ lanes: { acpSessions: { enabled: false } } });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(30_000);

    expect(fixture.signals.passes("acpSessions")).toEqual([]);
    const email = fixture.signals.passes("emailOutbox");
    expect(email).toHaveLength(1);
    expect(email[0]?.status).toBe("skipped");
    expect(email[0]?.reason).toMatch(/emailOutboxRunner/);
    stop.abort();
    await running;
    const runs = await fixture.repositories.runtimeState.listLaneRuns({ perLane: 10 });
    expect(runs.filter((run) => run.lane === "emailOutbox")).toMatchObject([
      { status: "skipped", error: expect.stringMatching(/emailOutboxRunner/) },
    ]);
  });

  it("honours per-lane interval and timeout overrides", async () => {
    const repositories = createMemoryRepositories();
    repositories.stock.releaseExpiredReservations = () => new Promise(() => {});
    const fixture = createFixture({ repositories });
    const runtime = fixture.create({
      lanes: {
        stockReservations: { intervalMs: 1_000, timeoutMs: 500 },
        stuckEmails: { intervalMs: 2_000 },
      },
    });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(4_000);
    expect(fixture.signals.passes("stuckEmails").map((pass) => sinceStart(pass.startedAt))).toEqual(
      [0, 2_000, 4_000],
    );
    expect(fixture.signals.passes("stockReservations")).toMatchObject([
      { status: "abandoned", durationMs: 500 },
    ]);
    stop.abort();
    await running;
  });

  it("rejects unknown lanes and invalid intervals, naming the field", () => {
    const fixture = createFixture();
    const attempt = (lanes: unknown) => () => fixture.create({ lanes: lanes as never });
    expect(attempt({ stockReservation: { intervalMs: 1_000 } })).toThrow(
      MikaMaintenanceOptionsError,
    );
    expect(attempt({ stockReservation: { intervalMs: 1_000 } })).toThrow(
      /Unknown lane "stockReservation"/,
    );
    expect(attempt({ emailOutbox: { intervalMs: -5 } })).toThrow(
      /lanes\.emailOutbox\.intervalMs must be a whole number of milliseconds from 100/,
    );
    expect(attempt({ emailOutbox: { intervalMs: 1.5 } })).toThrow(/intervalMs/);
    expect(attempt({ emailOutbox: { timeoutMs: Number.NaN } })).toThrow(/timeoutMs/);
    expect(attempt({ emailOutbox: { enabled: "yes" } })).toThrow(/enabled must be true or false/);
    expect(attempt({ emailOutbox: { every: 5 } })).toThrow(/Unknown lane setting "every"/);
    try {
      attempt({ emailOutbox: { intervalMs: 0 } })();
    } catch (error) {
      expect((error as MikaMaintenanceOptionsError).field).toBe("lanes.emailOutbox.intervalMs");
    }
    expect(() => fixture.create({ leaseTtlMs: 10_000, renewEveryMs: 6_000 })).toThrow(
      /renewEveryMs must be at most half of leaseTtlMs/,
    );
  });
});
