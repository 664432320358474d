import { describe, expect, it } from "vitest";
import { describeMaintenanceStatus } from "../../src/index.ts";
import { withFaults } from "./faults.ts";
import { createFixture, sinceStart, stopRuntimes } from "./harness.ts";

const TTL = 30_000;

describe("runtime leadership", () => {
  it("elects one leader among two runtimes on one store; only the leader runs the leader lanes", async () => {
    const fixture = createFixture();
    const a = fixture.create({ instanceId: "a" });
    const b = fixture.create({ instanceId: "b" });
    const stop = new AbortController();
    const runs = [a.run({ signal: stop.signal }), b.run({ signal: stop.signal })];

    await fixture.scheduler.advance(60_000);

    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(fixture.signals.passes(undefined, "a").length).toBeGreaterThan(30);
    // The follower runs the every-replica lane (the outbox) and nothing else.
    const followerLanes = new Set(fixture.signals.passes(undefined, "b").map((pass) => pass.lane));
    expect([...followerLanes]).toEqual(["emailOutbox"]);
    const lease = await fixture.repositories.leadership.getLeadership({ name: "mika-maintenance" });
    expect(lease).toMatchObject({ holder: "a", term: 1 });
    const beats = await fixture.repositories.runtimeState.listHeartbeats({ limit: 10 });
    expect(Object.fromEntries(beats.map((beat) => [beat.instanceId, beat.isLeader]))).toEqual({
      a: true,
      b: false,
    });
    stop.abort();
    await Promise.all(runs);
  });

  it("renews well inside the TTL and keeps one term", async () => {
    const fixture = createFixture();
    const renewals: number[] = [];
    const leadership = fixture.repositories.leadership;
    const runtime = fixture.create({
      leadership: {
        ...leadership,
        renewLeadership: (input) => {
          renewals.push(sinceStart(input.now));
          return leadership.renewLeadership(input);
        },
      },
    });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(5 * TTL);

    expect(renewals).toEqual([
      10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 110_000,
      120_000, 130_000, 140_000, 150_000,
    ]);
    expect(
      fixture.signals.events.filter((event) => event.type === "leadership.acquired"),
    ).toHaveLength(1);
    expect(await leadership.getLeadership({ name: "mika-maintenance" })).toMatchObject({ term: 1 });
    stop.abort();
    await running;
  });

  it("hands over at once when the leader shuts down and resigns", async () => {
    const fixture = createFixture();
    const a = fixture.create({ instanceId: "a" });
    const b = fixture.create({ instanceId: "b" });
    const stopA = new AbortController();
    const stopB = new AbortController();
    const runA = a.run({ signal: stopA.signal });
    const runB = b.run({ signal: stopB.signal });
    await fixture.scheduler.advance(21_000);

    const resigned = fixture.signals.next(
      "leadership.resigned",
      (event) => event.instanceId === "a",
    );
    stopA.abort();
    await runA;
    const resignedAt = sinceStart((await resigned).at);
    const takeover = fixture.signals.next(
      "leadership.acquired",
      (event) => event.instanceId === "b",
    );
    await fixture.scheduler.advance(TTL);
    const acquired = await takeover;

    const takeoverMs = sinceStart(acquired.at) - resignedAt;
    // The follower said once whom it waits for, not on every poll.
    const waiting = fixture.signals.events.filter((event) => event.type === "leadership.waiting");
    expect(waiting).toMatchObject([{ instanceId: "b", leader: "a", term: 1 }]);
    const status = await describeMaintenanceStatus({
      repositories: fixture.repositories,
      now: new Date(fixture.scheduler.now()),
    });
    expect(status.leader).toMatchObject({ holder: "b", live: true, ended: null });
    expect(resignedAt).toBe(21_000);
    expect(takeoverMs).toBeLessThanOrEqual(2_000);
    expect(acquired.term).toBe(2);
    expect(fixture.signals.passes(undefined, "b").length).toBeGreaterThan(0);
    stopB.abort();
    await runB;
  });

  it("lets a follower take over within one TTL when the leader dies", async () => {
    const fixture = createFixture();
    const dying = withFaults(fixture.repositories);
    const a = fixture.create({
      instanceId: "a",
      repositories: dying.repositories,
      emailOutboxRunner: undefined,
    });
    const b = fixture.create({ instanceId: "b" });
    const stop = new AbortController();
    const runs = [a.run({ signal: stop.signal }), b.run({ signal: stop.signal })];
    // Die right after a renewal: the worst case, the lease has a whole TTL left.
    await fixture.scheduler.advance(10_000);
    const renewedUntil = (await fixture.repositories.leadership.getLeadership({
      name: "mika-maintenance",
    }))!.expiresAt;
    expect(sinceStart(renewedUntil)).toBe(40_000);
    dying.fail("hang");
    const killedAt = 10_000;

    const lost = fixture.signals.next("leadership.lost", (event) => event.instanceId === "a");
    const takeover = fixture.signals.next(
      "leadership.acquired",
      (event) => event.instanceId === "b",
    );
    await fixture.scheduler.advance(2 * TTL);

    const takeoverMs = sinceStart((await takeover).at) - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(TTL);
    expect(takeoverMs).toBe(30_000);
    // The frozen leader stopped its own lanes long before its lease ran out.
    expect(sinceStart((await lost).at)).toBe(25_000);
    expect(a.isLeader()).toBe(false);
    const lateA = fixture.signals
      .passes(undefined, "a")
      .filter((pass) => sinceStart(pass.startedAt) >= 25_000);
    expect(lateA).toEqual([]);
    await stopRuntimes(fixture.scheduler, stop, runs);
  });

  it.each([
    ["refused", "refuse" as const, 20_000],
    ["failing", "throw" as const, 20_000],
    ["unanswered", "hang" as const, 25_000],
  ])(
    "stops every leader lane before the TTL ends when renewal is %s",
    async (_label, mode, stoppedAt) => {
      const fixture = createFixture();
      const faulty = withFaults(fixture.repositories, (port) => port === "leadership");
      const runtime = fixture.create({
        instanceId: "a",
        leadership: faulty.repositories.leadership,
      });
      const stop = new AbortController();
      const running = runtime.run({ signal: stop.signal });
      await fixture.scheduler.advance(15_000);
      faulty.fail(mode);
      const lost = fixture.signals.next("leadership.lost");
      await fixture.scheduler.advance(45_000);

      const event = await lost;
      expect(sinceStart(event.at)).toBe(stoppedAt);
      // The last good renewal (at 10 s) kept the lease until 40 s.
      expect(sinceStart(event.at)).toBeLessThan(40_000);
      expect(runtime.isLeader()).toBe(false);
      // Leader lanes stop; the every-replica outbox lane keeps running without leadership.
      const after = fixture.signals
        .passes()
        .filter((pass) => sinceStart(pass.startedAt) >= stoppedAt && pass.lane !== "emailOutbox");
      expect(after).toEqual([]);
      expect(
        fixture.signals
          .passes("emailOutbox")
          .some((pass) => sinceStart(pass.startedAt) > stoppedAt),
      ).toBe(true);
      expect(event.reason).toMatch(/leadership lease/);
      await stopRuntimes(fixture.scheduler, stop, [running]);
    },
  );

  it("takes leadership back and resumes lanes once the store answers again", async () => {
    const fixture = createFixture();
    const faulty = withFaults(fixture.repositories, (port) => port === "leadership");
    const runtime = fixture.create({ leadership: faulty.repositories.leadership });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(15_000);
    faulty.fail("throw");
    await fixture.scheduler.advance(10_000);
    expect(runtime.isLeader()).toBe(false);
    faulty.heal();
    const back = fixture.signals.next("leadership.acquired");
    await fixture.scheduler.advance(5_000);
    expect((await back).term).toBe(1);
    expect(runtime.isLeader()).toBe(true);
    expect(
      fixture.signals
        .passes("stockReservations")
        .some((pass) => sinceStart(pass.startedAt) >= 25_000),
    ).toBe(true);
    stop.abort();
    await running;
  });
});
