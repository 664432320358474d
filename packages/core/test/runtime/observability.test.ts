import { afterEach, describe, expect, it, vi } from "vitest";
import { createConsoleLogger, type MikaRuntimePassEvent } from "../../src/index.ts";
import { createFixture, stopRuntimes } from "./harness.ts";
import { seedEmails, seedReservations } from "./seed.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("runtime observability", () => {
  it("calls onPass with lane, duration, status and a counters summary", async () => {
    const fixture = createFixture();
    await seedReservations(fixture.repositories, [-1_000, -500, 60_000]);
    await seedEmails(fixture.repositories, 2);
    const passes: MikaRuntimePassEvent[] = [];
    const runtime = fixture.create({ instanceId: "obs", onPass: (event) => passes.push(event) });
    await runtime.tick({ budgetMs: 5_000 });

    expect(passes).toHaveLength(9);
    const stock = passes.find((pass) => pass.lane === "stockReservations");
    expect(stock).toEqual({
      lane: "stockReservations",
      instanceId: "obs",
      trigger: "tick",
      status: "completed",
      startedAt: "2026-03-01T10:00:00.000Z",
      finishedAt: "2026-03-01T10:00:00.000Z",
      durationMs: 0,
      counters: { reservationsScanned: 2, reservationsReleased: 2, stockItems: 2, hasMore: false },
      hasMore: false,
    });
    const email = passes.find((pass) => pass.lane === "emailOutbox");
    // Counters only: the outbox's per-email items (addresses) never reach a hook or a log.
    expect(email?.counters).toEqual({
      scanned: 2,
      leased: 2,
      sent: 2,
      failed: 0,
      skipped: 0,
      leaseMissed: 0,
      leaseLost: 0,
      hasMore: false,
    });
    expect(JSON.stringify(passes)).not.toContain("@example.com");
  });

  it("writes one JSON line per busy pass with the default logger; idle passes at debug", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    const fixture = createFixture();
    await seedReservations(fixture.repositories, [-1_000]);
    const runtime = fixture.create({ logger: undefined });
    await runtime.tick({ budgetMs: 5_000 });

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const passLines = parsed.filter((line) => line.msg === "maintenance pass");
    expect(passLines.map((line) => line.lane)).toEqual(["stockReservations"]);
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
    expect(passLines[0]).toMatchObject({
      time: "2026-03-01T10:00:00.000Z",
      level: "info",
      status: "completed",
      durationMs: 0,
      counters: { reservationsReleased: 1, hasMore: false },
      trigger: "tick",
    });

    const debug: string[] = [];
    const verbose = createFixture();
    await verbose
      .create({
        logger: createConsoleLogger({ level: "debug", write: (line) => debug.push(line) }),
      })
      .tick({ budgetMs: 5_000 });
    const idle = debug.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(idle.filter((line) => line.msg === "maintenance pass")).toHaveLength(9);
    expect(idle.find((line) => line.lane === "ephemeralRecords")).toMatchObject({
      level: "debug",
      counters: { purged: 0, hasMore: false },
    });
  });

  it("logs failed and abandoned passes as warnings", () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ write: (line) => lines.push(line), clock: () => 0 });
    logger.warn("maintenance pass", { lane: "stockReservations", status: "failed" });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "warn",
      msg: "maintenance pass",
      lane: "stockReservations",
      status: "failed",
    });
  });

  it("keeps lanes running when a hook throws", async () => {
    const fixture = createFixture();
    const errors: unknown[] = [];
    const runtime = fixture.create({
      onPass: () => {
        throw new Error("metrics exporter is down");
      },
      logger: { info() {}, warn() {}, error: (_message, fields) => errors.push(fields) },
    });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(10_000);
    expect(fixture.signals.passes("stockReservations")).toHaveLength(3);
    expect(errors[0]).toEqual({ hook: "onPass", error: "metrics exporter is down" });
    await stopRuntimes(fixture.scheduler, stop, [running]);
  });

  it("prunes its own lane-run history and stale heartbeats while running", async () => {
    const fixture = createFixture();
    await fixture.repositories.runtimeState.recordHeartbeat({
      instanceId: "long-gone",
      host: "old",
      pid: 7,
      startedAt: "2026-02-01T00:00:00.000Z",
      lastBeatAt: "2026-02-01T00:00:00.000Z",
      isLeader: true,
    });
    const runtime = fixture.create({
      instanceId: "a",
      retention: { runsPerLane: 5, heartbeatMs: 3_600_000 },
    });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(600_000);

    expect(fixture.signals.passes("stockReservations")).toHaveLength(121);
    const runs = await fixture.repositories.runtimeState.listLaneRuns({ perLane: 1_000 });
    const stock = runs.filter((run) => run.lane === "stockReservations").length;
    // Pruned every minute down to 5; at most one minute of passes (12) on top.
    expect(stock).toBeGreaterThanOrEqual(5);
    expect(stock).toBeLessThanOrEqual(5 + 12);
    const beats = await fixture.repositories.runtimeState.listHeartbeats({ limit: 10 });
    expect(beats.map((beat) => beat.instanceId)).toEqual(["a"]);
    await stopRuntimes(fixture.scheduler, stop, [running]);
  });
});
