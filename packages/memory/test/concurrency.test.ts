import {
  addMilliseconds,
  createMikaEmailOutboxRunner,
  type MikaOutgoingEmail,
} from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { createMemoryRepositories } from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("compare-and-set under concurrent callers", () => {
  it("lets exactly one of many simultaneous callers win each race", async () => {
    const adapter = createMemoryRepositories();
    const { ops, stock, leadership, runtimeState } = adapter;
    await ops.enqueueEmail({ id: "e1", to: "a@example.test", subject: "s", now: NOW });
    const leases = await Promise.all(
      ["a", "b", "c", "d"].map((leaseKey) =>
        ops.tryLeaseEmail({
          emailId: "e1",
          leaseKey,
          now: NOW,
          leaseExpiresAt: addMilliseconds(NOW, 60_000),
        }),
      ),
    );
    expect(leases.filter(Boolean)).toHaveLength(1);
    expect((await ops.getEmail("e1"))?.attemptCount).toBe(1);

    await stock.upsertStockItem({ id: "sku", quantityOnHand: 3, now: NOW });
    const reservations = await Promise.all(
      Array.from({ length: 5 }, () =>
        stock.reserveStock({
          stockItemId: "sku",
          quantity: 1,
          expiresAt: addMilliseconds(NOW, 1),
          now: NOW,
        }),
      ),
    );
    expect(reservations.filter(Boolean)).toHaveLength(3);
    const released = await Promise.all(
      Array.from({ length: 4 }, () =>
        stock.releaseExpiredReservations({ now: addMilliseconds(NOW, 1), limit: 10 }),
      ),
    );
    expect(released.map((result) => result.reservationsReleased).sort()).toEqual([0, 0, 0, 3]);
    expect(await stock.getStockItem("sku")).toMatchObject({ quantityReserved: 0 });

    const leaders = await Promise.all(
      ["r1", "r2", "r3"].map((holder) =>
        leadership.tryAcquireLeadership({ name: "m", holder, now: NOW, ttlMs: 15_000 }),
      ),
    );
    expect(leaders.filter(Boolean)).toHaveLength(1);

    const claims = await Promise.all(
      ["r1", "r2", "r3"].map((holder) =>
        runtimeState.claimLane({
          lane: "acpSessions",
          expectedLastStartedAt: null,
          holder,
          now: NOW,
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("sends each email once when four outbox runners drain the same store", async () => {
    const adapter = createMemoryRepositories();
    for (let index = 0; index < 40; index += 1) {
      await adapter.ops.enqueueEmail({
        id: `e${String(index).padStart(2, "0")}`,
        to: `p${index}@example.test`,
        subject: "s",
        now: NOW,
      });
    }
    const sent: string[] = [];
    const sender = async (message: MikaOutgoingEmail) => {
      await new Promise((resolve) => setImmediate(resolve));
      sent.push(message.emailId);
      return { providerMessageId: `msg-${message.emailId}` };
    };
    const runners = Array.from({ length: 4 }, () =>
      createMikaEmailOutboxRunner({ repositories: adapter, sender }),
    );
    const results = await Promise.all(
      runners.map((runner) => runner.runOnce({ now: NOW, limit: 40 })),
    );
    expect(sent).toHaveLength(40);
    expect(new Set(sent).size).toBe(40);
    expect(results.reduce((total, result) => total + result.sent, 0)).toBe(40);
    expect(adapter.dumpTables().emails.every((row) => row.status === "sent")).toBe(true);
  });
});
