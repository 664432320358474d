import { describe, expect, it } from "vitest";
import { createMemoryRepositories, MIKA_MEMORY_TABLE_NAMES } from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";
const LATER = "2026-06-21T10:15:00.000Z";

describe("dumpTables", () => {
  it("lists every table, empty at first", () => {
    const dump = createMemoryRepositories().dumpTables();
    expect(Object.keys(dump)).toEqual([...MIKA_MEMORY_TABLE_NAMES]);
    expect(Object.keys(dump)).toEqual([
      "emails",
      "workflows",
      "webhookEvents",
      "accountDeleteRequests",
      "accountExports",
      "ephemeralRecords",
      "stockItems",
      "stockReservations",
      "customers",
      "subscriptions",
      "entitlements",
      "licenses",
      "orders",
      "carts",
      "acpSessions",
      "leadershipLeases",
      "heartbeats",
      "laneStates",
      "laneRuns",
      "laneRunHours",
      "lanePauses",
    ]);
    for (const rows of Object.values(dump)) expect(rows).toEqual([]);
  });

  it("returns every row as stored, in every table", async () => {
    const adapter = createMemoryRepositories({
      createId: (() => {
        let n = 0;
        return () => `id${++n}`;
      })(),
    });
    const { ops, ephemeral, stock, account, ledger, session, acpSessions, leadership } = adapter;
    await ops.enqueueEmail({ to: "a@example.test", subject: "s", now: NOW });
    await ops.enqueueWorkflow({ name: "w", now: NOW });
    await ops.recordWebhookEvent({
      provider: "p",
      eventType: "t",
      externalId: "x",
      rawPayload: "{}",
      receivedAt: NOW,
    });
    await ops.queueAccountDeleteRequest({ userId: "u1", now: NOW });
    await ops.createAccountExport({ userId: "u1", now: NOW });
    await ephemeral.putEphemeralRecord({ kind: "nonce", key: "n", expiresAt: LATER, now: NOW });
    await stock.upsertStockItem({ id: "sku", quantityOnHand: 1, now: NOW });
    await stock.reserveStock({ stockItemId: "sku", quantity: 1, expiresAt: LATER, now: NOW });
    await account.upsertCustomer({ id: "c1", email: "c@example.test", now: NOW });
    await account.upsertSubscription({
      id: "sub",
      customerId: "c1",
      status: "active",
      productId: "p",
      now: NOW,
    });
    await account.createEntitlement({ customerId: "c1", productId: "p", now: NOW });
    await account.createLicense({
      customerId: "c1",
      keyHash: "k",
      displaySuffix: "ABCD",
      now: NOW,
    });
    await ledger.createOrder({ customerId: "c1", totalMinor: 1, currency: "EUR", now: NOW });
    await session.upsertCart({ id: "cart", status: "open", now: NOW });
    await acpSessions.createSession({ now: NOW });
    await leadership.tryAcquireLeadership({ name: "m", holder: "h", now: NOW, ttlMs: 1000 });
    await adapter.runtimeState.recordHeartbeat({
      instanceId: "i",
      host: "h",
      pid: 1,
      startedAt: NOW,
      lastBeatAt: NOW,
      isLeader: true,
    });
    await adapter.runtimeState.claimLane({
      lane: "emailOutbox",
      expectedLastStartedAt: null,
      holder: "i",
      now: NOW,
    });
    await adapter.runtimeState.recordLaneRun({
      id: "run1",
      lane: "emailOutbox",
      instanceId: "i",
      startedAt: NOW,
      finishedAt: NOW,
      durationMs: 1,
      status: "completed",
      counters: {},
      error: null,
    });
    await adapter.runtimeState.setLanePaused({
      lane: "emailOutbox",
      paused: true,
      by: "ops",
      now: NOW,
    });

    const dump = adapter.dumpTables();
    for (const name of MIKA_MEMORY_TABLE_NAMES) expect(dump[name], name).toHaveLength(1);
    expect(dump.leadershipLeases[0]).toEqual({
      name: "m",
      holder: "h",
      term: 1,
      acquiredAt: NOW,
      renewedAt: NOW,
      expiresAt: "2026-06-21T10:00:01.000Z",
    });
    expect(dump.stockItems[0]).toMatchObject({ quantityOnHand: 1, quantityReserved: 1 });
    expect(dump.customers[0]).toMatchObject({ email: "c@example.test" });
  });

  it("hands out copies: changing a dump never changes the store", async () => {
    const adapter = createMemoryRepositories();
    await adapter.account.upsertCustomer({ id: "c1", email: "c@example.test", now: NOW });
    const dump = adapter.dumpTables();
    (dump.customers[0] as { email: string }).email = "changed";
    dump.customers.pop();
    expect((await adapter.account.getCustomer("c1"))?.email).toBe("c@example.test");
    expect(adapter.dumpTables().customers).toHaveLength(1);
  });
});
