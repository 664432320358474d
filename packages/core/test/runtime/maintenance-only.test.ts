import { describe, expect, it } from "vitest";
import type { MikaMemoryAdapter } from "../../../memory/src/index.ts";
import {
  addMilliseconds,
  createMaintenanceRuntime,
  createManualScheduler,
  createMikaEmailOutboxRunner,
} from "../../src/index.ts";
import { createMemoryRepositories, START, stopRuntimes } from "./harness.ts";
import { seedEmails, seedReservations } from "./seed.ts";

/** The maintenance methods of DESIGN §4, plus the status reads (`describe…Backlog`). */
const MAINTENANCE_METHODS = new Set([
  "ops.listDueEmails",
  "ops.claimDueEmails",
  "ops.completeEmails",
  "ops.tryLeaseEmail",
  "ops.completeEmail",
  "ops.markEmailDelivered",
  "ops.failEmail",
  "ops.skipEmail",
  "ops.reclaimExhaustedEmails",
  "ops.reclaimExhaustedWorkflows",
  "ops.purgeWebhookRawPayloads",
  "ops.listQueuedAccountDeleteRequests",
  "ops.recordAccountDeleteStep",
  "ops.completeAccountDeleteRequest",
  "ops.recordAccountDeleteError",
  "ops.failAccountDeleteRequest",
  "ops.redactEmailsForAccountDelete",
  "ops.redactAccountExportsForAccountDelete",
  "ops.redactWorkflowsForAccountDelete",
  "ops.redactWebhookEventsForAccountDelete",
  "ops.setAsideUnreadableEmail",
  "ops.setAsideUnreadableAccountDeleteRequest",
  "ops.describeEmailBacklog",
  "ops.describeAccountDeleteBacklog",
  "ephemeral.purgeExpired",
  "ephemeral.deleteTokensBySubjectHashes",
  "stock.releaseExpiredReservations",
  "stock.releaseActiveReservationsByCustomer",
  "stock.describeExpiredReservationBacklog",
  "account.listSubscriptionsByCustomer",
  "account.anonymizeEntitlementsForAccountDelete",
  "account.anonymizeLicensesForAccountDelete",
  "account.anonymizeCustomerForAccountDelete",
  "ledger.anonymizeOrdersForAccountDelete",
  "session.listCheckoutPendingCartsByCustomer",
  "acpSessions.cleanupExpired",
  "acpSessions.deleteSessionsForAccountDelete",
]);

/** Every method of every port, recorded as `port.method` when called. */
function recording(repositories: MikaMemoryAdapter) {
  const calls = new Set<string>();
  const proxied: Record<string, unknown> = {};
  for (const [portName, port] of Object.entries(repositories)) {
    if (typeof port === "function") {
      proxied[portName] = (...args: unknown[]) => {
        calls.add(portName);
        return (port as (...a: unknown[]) => unknown)(...args);
      };
      continue;
    }
    proxied[portName] = new Proxy(port as object, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.add(`${portName}.${String(property)}`);
          return Reflect.apply(value, target, args);
        };
      },
    });
  }
  return { repositories: proxied as unknown as MikaMemoryAdapter, calls };
}

describe("maintenance only", () => {
  it("calls nothing but maintenance, leadership and runtime-state methods", async () => {
    const store = createMemoryRepositories();
    await seedEmails(store, 40);
    await seedReservations(store, [-1_000, 2_000, 30_000]);
    await store.ephemeral.putEphemeralRecord({
      kind: "token",
      key: "t-1",
      subjectHash: "customer:c-1",
      expiresAt: addMilliseconds(START, -1),
      now: START,
    });
    await store.acpSessions.createSession({ id: "acp-1", ttlMs: 1_000, now: START });
    await store.account.upsertCustomer({ id: "c-1", email: "a@example.com", now: START });
    await store.ops.queueAccountDeleteRequest({ customerId: "c-1", now: START });
    await store.account.upsertCustomer({ id: "c-2", email: "b@example.com", now: START });
    await store.account.upsertSubscription({
      id: "s-2",
      customerId: "c-2",
      status: "active",
      productId: "p",
      now: START,
    });
    await store.ops.queueAccountDeleteRequest({ customerId: "c-2", now: START });

    const { repositories, calls } = recording(store);
    const scheduler = createManualScheduler({ start: START });
    const runtime = createMaintenanceRuntime({
      repositories,
      emailOutboxRunner: createMikaEmailOutboxRunner({
        repositories,
        sender: async () => ({ providerMessageId: "pm" }),
      }),
      scheduler,
      logger: false,
    });
    const stop = new AbortController();
    const running = runtime.run({ signal: stop.signal });
    await scheduler.advance(120_000);
    await stopRuntimes(scheduler, stop, [running]);
    await scheduler.advance(300_000);
    await runtime.tick({ budgetMs: 5_000 });

    const allowed = (call: string) =>
      MAINTENANCE_METHODS.has(call) ||
      call.startsWith("leadership.") ||
      call.startsWith("runtimeState.");
    expect([...calls].filter((call) => !allowed(call))).toEqual([]);
    // It did real maintenance through those methods.
    for (const call of [
      "ops.claimDueEmails",
      "ops.completeEmails",
      "stock.releaseExpiredReservations",
      "acpSessions.cleanupExpired",
      "acpSessions.deleteSessionsForAccountDelete",
      "ops.completeAccountDeleteRequest",
      "ops.failAccountDeleteRequest",
      "leadership.resignLeadership",
      "runtimeState.claimLane",
      "runtimeState.recordHeartbeat",
    ]) {
      expect(calls.has(call), call).toBe(true);
    }
    expect(await store.ops.describeEmailBacklog({ now: START })).toMatchObject({ count: 0 });
  });
});
