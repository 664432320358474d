import { describe, expect, it } from "vitest";
import { createFixture, sinceStart } from "./harness.ts";

/** What an operator does on another replica's dashboard: pause or resume `lane`, now. */
function setPaused(fixture: ReturnType<typeof createFixture>, lane: string, paused: boolean) {
  return fixture.repositories.runtimeState.setLanePaused({
    lane,
    paused,
    by: "ops",
    now: new Date(fixture.scheduler.now()).toISOString(),
  });
}

describe("paused lanes in run()", () => {
  it("start no scheduled pass while paused in the store, and run again once resumed", async () => {
    const fixture = createFixture();
    const runtime = fixture.create();
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });

    await fixture.scheduler.advance(10_000);
    expect(fixture.signals.passes("stockReservations")).toHaveLength(3);

    // Another replica's dashboard pauses the lane: this process reads it from the store.
    await setPaused(fixture, "stockReservations", true);
    await fixture.scheduler.advance(30_000);
    expect(fixture.signals.passes("stockReservations")).toHaveLength(3);
    // Other lanes keep their schedule.
    expect(fixture.signals.passes("acpSessions").length).toBeGreaterThanOrEqual(8);

    await setPaused(fixture, "stockReservations", false);
    await fixture.scheduler.advance(5_000);
    const passes = fixture.signals.passes("stockReservations");
    expect(passes.length).toBeGreaterThanOrEqual(4);
    expect(sinceStart(passes[3]!.startedAt)).toBeGreaterThanOrEqual(40_000);
    stop.abort();
    await running;
  });

  it("hold an every-replica lane (the outbox) off too", async () => {
    const fixture = createFixture();
    await setPaused(fixture, "emailOutbox", true);
    const runtime = fixture.create();
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });

    await fixture.scheduler.advance(30_000);
    expect(fixture.signals.passes("emailOutbox")).toHaveLength(0);
    expect(fixture.signals.passes("stockReservations").length).toBeGreaterThanOrEqual(5);

    await setPaused(fixture, "emailOutbox", false);
    await fixture.scheduler.advance(10_000);
    expect(fixture.signals.passes("emailOutbox").length).toBeGreaterThanOrEqual(1);
    stop.abort();
    await running;
  });
});
