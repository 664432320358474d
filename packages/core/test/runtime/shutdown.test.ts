import { describe, expect, it } from "vitest";
import { createMikaEmailOutboxRunner, MikaMaintenanceError } from "../../src/index.ts";
import { createFixture, createMemoryRepositories, sinceStart, stopRuntimes } from "./harness.ts";
import { seedEmails } from "./seed.ts";

describe("runtime shutdown", () => {
  it("stops the pass in flight at a batch boundary, resigns and resolves run()", async () => {
    const fixture = createFixture();
    await seedEmails(fixture.repositories, 10);
    const sending = fixture.sender.hold();
    const runtime = fixture.create({
      instanceId: "a",
      emailOutboxRunner: createMikaEmailOutboxRunner({
        repositories: fixture.repositories,
        sender: fixture.sender.send,
        concurrency: 1,
      }),
    });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await sending;
    await fixture.scheduler.advance(2_000);

    const resigned = fixture.signals.next("leadership.resigned");
    stop.abort();
    // The first email's send is in flight; once it returns the outbox sees the signal.
    fixture.sender.release();
    const summary = await running;

    expect(fixture.sender.sent).toHaveLength(1);
    const due = await fixture.repositories.ops.describeEmailBacklog({
      now: "2026-03-01T10:00:02.000Z",
    });
    expect(due.count).toBe(9);
    const email = fixture.signals.passes("emailOutbox");
    expect(email).toHaveLength(1);
    expect(email[0]).toMatchObject({ status: "completed", hasMore: true });
    // The emails claimed but not yet handed to the provider were released, not counted.
    expect(email[0]?.counters).toMatchObject({ scanned: 1, sent: 1 });
    expect(fixture.signals.passes().every((pass) => sinceStart(pass.startedAt) === 0)).toBe(true);

    expect((await resigned).term).toBe(1);
    const lease = await fixture.repositories.leadership.getLeadership({ name: "mika-maintenance" });
    expect(sinceStart(lease!.expiresAt)).toBe(2_000);
    const [beat] = await fixture.repositories.runtimeState.listHeartbeats({ limit: 1 });
    expect(beat).toMatchObject({ instanceId: "a", isLeader: false });
    expect(sinceStart(beat!.lastBeatAt)).toBe(2_000);
    expect(summary).toMatchObject({ instanceId: "a", terms: 1, passes: 9 });
    expect(fixture.signals.events.at(-1)?.type).toBe("runtime.stopped");
    expect(runtime.isLeader()).toBe(false);
  });

  it("abandons a pass that ignores the signal once the shutdown grace runs out", async () => {
    const repositories = createMemoryRepositories();
    repositories.ops.purgeWebhookRawPayloads = () => new Promise(() => {});
    const fixture = createFixture({ repositories });
    const runtime = fixture.create({ shutdownGraceMs: 3_000 });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await fixture.scheduler.advance(1_000);

    await stopRuntimes(fixture.scheduler, stop, [running]);
    const summary = await running;

    expect(sinceStart(summary.stoppedAt)).toBe(4_000);
    const purge = fixture.signals.passes("rawProviderPayloads");
    expect(purge).toMatchObject([{ status: "abandoned", durationMs: 4_000 }]);
    expect(purge[0]?.error).toMatch(/runtime stopped before the pass reached a batch boundary/);
    const runs = await repositories.runtimeState.listLaneRuns({ perLane: 5 });
    expect(runs.find((run) => run.lane === "rawProviderPayloads")?.status).toBe("abandoned");
    const lease = await repositories.leadership.getLeadership({ name: "mika-maintenance" });
    expect(sinceStart(lease!.expiresAt)).toBe(4_000);
  });

  it("honours the signal given at creation and refuses a second concurrent run()", async () => {
    const fixture = createFixture();
    const stop = new AbortController();
    const runtime = fixture.create({ signal: stop.signal });
    const running = runtime.run();
    await fixture.scheduler.advance(100);
    await expect(runtime.run()).rejects.toThrow(MikaMaintenanceError);
    await expect(runtime.run()).rejects.toThrow(/already running/);
    stop.abort();
    await running;
    expect(runtime.isLeader()).toBe(false);
  });

  it("resolves at once when started with an aborted signal, without taking leadership", async () => {
    const fixture = createFixture();
    const runtime = fixture.create();
    const summary = await runtime.run({ signal: AbortSignal.abort() });
    expect(summary.passes).toBe(0);
    expect(await fixture.repositories.leadership.getLeadership({ name: "mika-maintenance" })).toBe(
      null,
    );
  });
});
