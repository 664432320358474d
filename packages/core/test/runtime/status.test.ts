import { describe, expect, it } from "vitest";
import { addMilliseconds, describeMaintenanceStatus } from "../../src/index.ts";
import { createFixture, START, stopRuntimes } from "./harness.ts";
import { seedEmails, seedReservations } from "./seed.ts";

describe("describeMaintenanceStatus", () => {
  it("reports leader, heartbeats, each lane's last run and the backlogs with oldest ages", async () => {
    const fixture = createFixture({ withSender: false });
    const { repositories } = fixture;
    await seedEmails(repositories, 3);
    await seedReservations(repositories, [-60_000, -1_000]);
    await repositories.ops.queueAccountDeleteRequest({
      customerId: "c-9",
      now: addMilliseconds(START, -3_600_000),
    });
    const runtime = fixture.create({ instanceId: "leader-1", host: "maint-0" });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(20_000);

    const status = await describeMaintenanceStatus({
      repositories,
      now: addMilliseconds(START, 20_000),
    });

    expect(status.leader).toMatchObject({ holder: "leader-1", term: 1, live: true });
    expect(status.instances).toMatchObject([
      { instanceId: "leader-1", host: "maint-0", isLeader: true, ageMs: 0, stale: false },
    ]);
    const lanes = status.lanes as Exclude<typeof status.lanes, { error: string }>;
    const byLane = Object.fromEntries(lanes.map((lane) => [lane.lane, lane]));
    expect(byLane.emailOutbox).toMatchObject({ health: "skipped", lastRun: { status: "skipped" } });
    expect(byLane.stockReservations).toMatchObject({
      health: "ok",
      lastHolder: "leader-1",
      lastStartedAt: addMilliseconds(START, 20_000),
      lastRun: { status: "completed", counters: { reservationsReleased: 0 } },
    });
    // Without a sender the outbox is not drained: the backlog shows it.
    expect(status.backlog.dueEmails).toEqual({ count: 3, oldestAt: START, oldestAgeMs: 20_000 });
    expect(status.backlog.expiredReservations).toEqual({
      count: 0,
      oldestAt: null,
      oldestAgeMs: null,
    });
    // Nothing blocks the request, so the runtime processed it.
    expect(status.backlog.queuedAccountDeletes).toMatchObject({ count: 0 });

    await stopRuntimes(fixture.scheduler, stop, [running]);
    await fixture.scheduler.advance(600_000);
    const later = await describeMaintenanceStatus({
      repositories,
      now: new Date(fixture.scheduler.now()),
    });
    expect(later.leader).toMatchObject({ live: false });
    expect(later.instances).toMatchObject([{ isLeader: false, stale: true }]);
    const stale = later.lanes as Exclude<typeof later.lanes, { error: string }>;
    expect(stale.find((lane) => lane.lane === "stockReservations")?.health).toBe("overdue");
  });

  it("reports a part it cannot read as that part's error", async () => {
    const status = await describeMaintenanceStatus({ repositories: {}, now: START });
    expect(status.leader).toEqual({
      error: "repositories.leadership is not wired, so this cannot be read.",
    });
    expect(status.backlog.dueEmails).toEqual({
      error: "repositories.ops is not wired, so this cannot be read.",
    });
    expect(status.lanesError).toBe(
      "repositories.runtimeState is not wired, so this cannot be read.",
    );
    expect(status.lanes.map((lane) => lane.health)).toEqual(Array(9).fill("unknown"));
  });

  it("tells a leader that resigned from one whose lease lapsed", async () => {
    const fixture = createFixture();
    const stop = new AbortController();
    const running = fixture.create({ instanceId: "clean" }).run({ signal: stop.signal });
    await fixture.scheduler.advance(1_000);
    stop.abort();
    await running;
    const now = () => new Date(fixture.scheduler.now());
    const resigned = await describeMaintenanceStatus({
      repositories: fixture.repositories,
      now: now(),
    });
    expect(resigned.leader).toMatchObject({ holder: "clean", live: false, ended: "resigned" });

    // A crash: the holder takes the lease and is never heard from again.
    const takenAt = now().toISOString();
    await fixture.repositories.leadership.tryAcquireLeadership({
      name: "mika-maintenance",
      holder: "crashed",
      now: takenAt,
      ttlMs: 30_000,
    });
    await fixture.repositories.runtimeState.recordHeartbeat({
      instanceId: "crashed",
      host: "h",
      pid: 1,
      startedAt: takenAt,
      lastBeatAt: takenAt,
      isLeader: true,
    });
    const lapsed = await describeMaintenanceStatus({
      repositories: fixture.repositories,
      now: new Date(fixture.scheduler.now() + 31_000),
    });
    expect(lapsed.leader).toMatchObject({ holder: "crashed", live: false, ended: "lapsed" });
  });
});
