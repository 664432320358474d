import { recordOrThrow } from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { createMemoryRepositories } from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("memory adapter copies", () => {
  it("stores a copy of input objects, so the caller's later changes never reach the store", async () => {
    const { ops, ledger, acpSessions } = createMemoryRepositories();
    const metadata = { link: "https://shop.example/reset?t=1", nested: { n: 1 } };
    const email = await ops.enqueueEmail({
      id: "e1",
      to: "a@example.test",
      subject: "s",
      metadata,
      now: NOW,
    });
    metadata.nested.n = 2;
    metadata.link = "changed";
    expect((await ops.getEmail(email.id))?.metadata).toEqual({
      link: "https://shop.example/reset?t=1",
      nested: { n: 1 },
    });

    const snapshot = { email: "buyer@example.test", country: "DE" };
    await ledger.createOrder({
      id: "o1",
      customerSnapshot: snapshot,
      totalMinor: 100,
      currency: "EUR",
      now: NOW,
    });
    snapshot.email = "other@example.test";
    expect((await ledger.getOrder("o1"))?.customerSnapshot.email).toBe("buyer@example.test");

    const payload = { items: [1, 2] };
    await acpSessions.createSession({ id: "s1", payload, now: NOW });
    payload.items.push(3);
    expect((await acpSessions.getSession("s1"))?.payload).toEqual({ items: [1, 2] });
  });

  it("returns copies, so mutating a returned record never changes the store", async () => {
    const adapter = createMemoryRepositories();
    const email = await adapter.ops.enqueueEmail({
      id: "e1",
      to: "a@example.test",
      subject: "s",
      metadata: { a: 1 },
      now: NOW,
    });
    email.status = "sent";
    email.metadata.a = 2;
    const read = await adapter.ops.getEmail("e1");
    expect(read).toMatchObject({ status: "queued", metadata: { a: 1 } });
    read!.to = "mutated@example.test";
    const [entry] = await adapter.ops.listDueEmails({ now: NOW, limit: 10 });
    const listed = entry ? recordOrThrow(entry) : undefined;
    expect(listed?.to).toBe("a@example.test");
    listed!.attemptCount = 99;
    const leased = await adapter.ops.tryLeaseEmail({
      emailId: "e1",
      leaseKey: "k",
      now: NOW,
      leaseExpiresAt: "2026-06-21T10:05:00.000Z",
    });
    expect(leased?.attemptCount).toBe(1);

    const request = await adapter.ops.queueAccountDeleteRequest({ customerId: "c1", now: NOW });
    request.steps.tokensDeleted = { status: "completed", completedAt: NOW, value: 3 };
    expect((await adapter.ops.getAccountDeleteRequest(request.id))?.steps).toEqual({});

    await adapter.stock.upsertStockItem({ id: "sku", quantityOnHand: 5, now: NOW });
    const item = await adapter.stock.getStockItem("sku");
    item!.quantityReserved = 5;
    expect(
      await adapter.stock.reserveStock({
        stockItemId: "sku",
        quantity: 5,
        expiresAt: "2026-06-21T10:15:00.000Z",
        now: NOW,
      }),
    ).not.toBeNull();

    const lease = await adapter.leadership.tryAcquireLeadership({
      name: "maintenance",
      holder: "a",
      now: NOW,
      ttlMs: 30_000,
    });
    lease!.holder = "b";
    expect((await adapter.leadership.getLeadership({ name: "maintenance" }))?.holder).toBe("a");
  });

  it("returns the existing webhook event as a copy on a duplicate delivery", async () => {
    const { ops } = createMemoryRepositories();
    const input = {
      provider: "stripe",
      eventType: "charge.succeeded",
      externalId: "evt_1",
      rawPayload: "{}",
      receivedAt: NOW,
    };
    const first = await ops.recordWebhookEvent(input);
    first.rawPayload = "mutated";
    const again = await ops.recordWebhookEvent({ ...input, rawPayload: '{"b":1}' });
    expect(again).toMatchObject({ id: first.id, rawPayload: "{}" });
  });
});
