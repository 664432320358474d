import { describe, expect, it } from "vitest";
import { createMikaEmailOutboxRunner, describeMaintenanceStatus } from "../../src/index.ts";
import { createFixture } from "./harness.ts";
import { seedEmails, seedReservations } from "./seed.ts";

describe("every replica drains the outbox", () => {
  it("two replicas both drain one outbox, no email twice, while only the leader runs leader lanes", async () => {
    const fixture = createFixture({ withSender: false });
    await seedEmails(fixture.repositories, 300);
    await seedReservations(fixture.repositories, [-1_000, -2_000]);
    const sent = new Map<string, number>();
    const replica = (instanceId: string) =>
      fixture.create({
        instanceId,
        emailOutboxRunner: createMikaEmailOutboxRunner({
          repositories: fixture.repositories,
          concurrency: 4,
          sender: async (message) => {
            sent.set(message.emailId, (sent.get(message.emailId) ?? 0) + 1);
            // A provider call takes a moment, so both replicas' passes overlap.
            await new Promise<void>((resolve) => setImmediate(resolve));
            return { providerMessageId: `pm-${message.emailId}` };
          },
        }),
      });
    const a = replica("a");
    const b = replica("b");
    const stop = new AbortController();
    const runs = [a.run({ signal: stop.signal }), b.run({ signal: stop.signal })];
    await fixture.scheduler.advance(30_000);

    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    const sentBy = (instanceId: string) =>
      fixture.signals
        .passes("emailOutbox", instanceId)
        .reduce((sum, pass) => sum + Number(pass.counters.sent ?? 0), 0);
    expect(sentBy("a")).toBeGreaterThan(0);
    expect(sentBy("b")).toBeGreaterThan(0);
    expect(sentBy("a") + sentBy("b")).toBe(300);
    expect(sent.size).toBe(300);
    expect([...sent.values()].filter((count) => count !== 1)).toEqual([]);
    expect(
      await fixture.repositories.ops.describeEmailBacklog({
        now: new Date(fixture.scheduler.now()).toISOString(),
      }),
    ).toMatchObject({ count: 0 });

    const lanesOf = (instanceId: string) =>
      new Set(fixture.signals.passes(undefined, instanceId).map((pass) => pass.lane));
    expect([...lanesOf("b")]).toEqual(["emailOutbox"]);
    expect(lanesOf("a").has("stockReservations")).toBe(true);

    const status = await describeMaintenanceStatus({
      repositories: fixture.repositories,
      now: new Date(fixture.scheduler.now()),
    });
    const lanes = "error" in status.lanes ? [] : status.lanes;
    expect(Object.fromEntries(lanes.map((lane) => [lane.lane, lane.runsOn]))).toMatchObject({
      emailOutbox: "every-replica",
      stockReservations: "leader",
      stuckEmails: "leader",
    });
    stop.abort();
    await fixture.scheduler.advance(15_000);
    await Promise.all(runs);
  });
});
