import {
  createMikaMaintenanceRunner,
  MIKA_ACCOUNT_DELETE_STEPS,
  type MikaRepositories,
  type MikaSubscriptionStatus,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, T0 } from "../support/clock.ts";
import { dumpWithoutRowsMentioning } from "../support/dump.ts";
import { uniqueId } from "../support/ids.ts";
import { findInDump } from "../support/pii-scan.ts";
import { completed } from "../support/runners.ts";
import { queueErasure, seedPerson } from "../support/seed-person.ts";

function erasureRunner(repositories: MikaRepositories) {
  return createMikaMaintenanceRunner({ repositories });
}

async function runErasure(repositories: MikaRepositories, now = T0) {
  return completed((await erasureRunner(repositories).runOnce({ now })).accountDeleteRequests);
}

/** Queued erasures processed through the public runner. */
export const accountDeleteGroup = defineConformanceGroup(
  "accountDelete",
  "erasure requests run all eight steps in order, or fail naming their blocker",
  {
    "a queued erasure runs every step once, records it, and completes": async ({
      repositories,
    }) => {
      const person = await seedPerson(repositories);
      const request = await queueErasure(repositories, person);
      const result = await runErasure(repositories);
      expect(result).toMatchObject({ scanned: 1, completed: 1, failed: 0, hasMore: false });
      expect(result.items).toEqual([
        {
          requestId: request.id,
          status: "completed",
          ...person.expectedCounts,
          stepsRun: [...MIKA_ACCOUNT_DELETE_STEPS],
        },
      ]);
      const stored = await repositories.ops.getAccountDeleteRequest(request.id);
      expect(stored).toMatchObject({
        status: "completed",
        completedAt: T0,
        customerId: person.customerId,
        userId: null,
        emailHash: null,
        tokenHash: null,
      });
      for (const step of MIKA_ACCOUNT_DELETE_STEPS) {
        expect(stored?.steps[step], step).toEqual({
          status: "completed",
          completedAt: T0,
          value: person.expectedCounts[step],
        });
      }
      const again = await runErasure(repositories, at(HOUR));
      expect(again).toMatchObject({ scanned: 0, completed: 0 });
    },

    "erasure leaves the data the ledger needs and the rows of other people": async ({
      repositories,
    }) => {
      const { stock, ephemeral, account, ledger } = repositories;
      const person = await seedPerson(repositories);
      const bystander = await seedPerson(repositories, person.stockItemId);
      await queueErasure(repositories, person);
      await runErasure(repositories);

      expect((await stock.getStockItem(person.stockItemId))?.quantityReserved).toBe(
        bystander.reservedQuantity,
      );
      for (const id of person.activeReservationIds) {
        expect((await stock.getReservation(id))?.status).toBe("released");
      }
      for (const key of person.ids.tokenKeys) {
        expect(await ephemeral.getEphemeralRecord({ kind: "token", key, now: T0 })).toBeNull();
      }
      expect(
        await ephemeral.getEphemeralRecord({ kind: "nonce", key: person.ids.nonceKey, now: T0 }),
      ).not.toBeNull();
      for (const id of person.ids.orders) {
        const order = await ledger.getOrder(id);
        expect(order?.anonymizedAt).toBe(T0);
        expect(order?.totalMinor).toBeGreaterThan(0);
        expect(order?.customerSnapshot.country).toBe("GB");
      }
      expect(await account.getCustomer(person.customerId)).toMatchObject({
        anonymizedAt: T0,
        email: null,
        emailHash: `account-deleted:${person.customerId}`,
      });
      for (const id of person.ids.licenses) {
        expect((await account.getLicense(id))?.status).toBe("revoked");
      }
      expect(await account.getCustomer(bystander.customerId)).toMatchObject({
        email: bystander.pii.email,
        anonymizedAt: null,
      });
      for (const id of bystander.ids.emails) {
        expect((await repositories.ops.getEmail(id))?.redactedAt).toBeNull();
      }
      for (const key of bystander.ids.tokenKeys) {
        expect(await ephemeral.getEphemeralRecord({ kind: "token", key, now: T0 })).not.toBeNull();
      }
    },

    "a request by email hash only uses the email sentinel": async ({ repositories }) => {
      const { ledger, ops } = repositories;
      const emailHash = uniqueId("eh");
      const order = await ledger.createOrder({
        emailHash,
        customerSnapshot: { email: "guest@example.test", name: "Guest Buyer" },
        totalMinor: 500,
        currency: "EUR",
        now: at(-HOUR),
      });
      const request = await ops.queueAccountDeleteRequest({ emailHash, now: at(-HOUR) });
      const result = await runErasure(repositories);
      expect(result.items[0]).toMatchObject({
        requestId: request.id,
        status: "completed",
        ordersAnonymized: 1,
        customerAnonymized: 0,
      });
      expect((await ledger.getOrder(order.id))?.emailHash).toBe(
        `account-deleted-email:${emailHash}`,
      );
    },

    ...Object.fromEntries(
      (["active", "trialing", "past_due", "paused"] as MikaSubscriptionStatus[]).map((status) => [
        `a ${status} subscription blocks the erasure: failed, naming it, nothing changed`,
        async ({ repositories, dumpTables }: MikaConformanceContext) => {
          const person = await seedPerson(repositories);
          const subscriptionId = uniqueId("sub");
          await repositories.account.upsertSubscription({
            id: subscriptionId,
            customerId: person.customerId,
            status,
            productId: "prod-pro",
            now: at(-HOUR),
          });
          const request = await queueErasure(repositories, person);
          await expectBlocked(repositories, dumpTables, request.id, [subscriptionId, status]);
        },
      ]),
    ),

    "a cart pending checkout blocks the erasure: failed, naming it, nothing changed": async ({
      repositories,
      dumpTables,
    }) => {
      const person = await seedPerson(repositories);
      const cartId = uniqueId("cart");
      await repositories.session.upsertCart({
        id: cartId,
        customerId: person.customerId,
        status: "checkout_pending",
        now: at(-HOUR),
      });
      const request = await queueErasure(repositories, person);
      await expectBlocked(repositories, dumpTables, request.id, [cartId, "pending checkout"]);
    },

    "two runners processing the same request at once complete it once": {
      timeoutMs: 60_000,
      run: async ({ repositories, connections, dumpTables }) => {
        const person = await seedPerson(repositories);
        const request = await queueErasure(repositories, person);
        const runners = (await connections(2)).map(erasureRunner);
        const runs = await Promise.all(runners.map((runner) => runner.runOnce({ now: T0 })));
        const items = runs.flatMap((run) => completed(run.accountDeleteRequests).items);
        const statuses = items.map((item) => item.status).sort();
        expect(statuses.filter((status) => status === "completed")).toHaveLength(1);
        expect(statuses.filter((status) => status === "failed" || status === "retrying")).toEqual(
          [],
        );
        const stored = await repositories.ops.getAccountDeleteRequest(request.id);
        expect(stored?.status).toBe("completed");
        expect(Object.keys(stored?.steps ?? {}).sort()).toEqual(
          [...MIKA_ACCOUNT_DELETE_STEPS].sort(),
        );
        const leftovers = findInDump(await dumpTables(), [person.pii.email, person.pii.vatId]);
        expect(leftovers).toEqual([]);
      },
    },

    "requests are processed oldest first, bounded by the limit": async ({ repositories }) => {
      const young = await repositories.ops.queueAccountDeleteRequest({
        userId: uniqueId("usr"),
        now: at(-1),
      });
      const old = await repositories.ops.queueAccountDeleteRequest({
        userId: uniqueId("usr"),
        now: at(-HOUR),
      });
      const runner = erasureRunner(repositories);
      const first = completed(
        (await runner.runOnce({ now: T0, accountDeleteLimit: 1 })).accountDeleteRequests,
      );
      expect(first).toMatchObject({ scanned: 1, completed: 1, hasMore: true });
      expect(first.items.map((item) => item.requestId)).toEqual([old.id]);
      const second = completed(
        (await runner.runOnce({ now: T0, accountDeleteLimit: 1 })).accountDeleteRequests,
      );
      expect(second).toMatchObject({ scanned: 1, completed: 1, hasMore: false });
      expect(second.items.map((item) => item.requestId)).toEqual([young.id]);
    },
  },
);

async function expectBlocked(
  repositories: MikaRepositories,
  dumpTables: MikaConformanceContext["dumpTables"],
  requestId: string,
  named: string[],
) {
  const before = dumpWithoutRowsMentioning(await dumpTables(), [requestId]);
  const result = await runErasure(repositories);
  expect(result).toMatchObject({ scanned: 1, completed: 0, failed: 1 });
  const item = result.items[0];
  expect(item?.status).toBe("failed");
  expect(item?.stepsRun).toEqual([]);
  for (const fragment of named) expect(item?.error).toContain(fragment);
  const stored = await repositories.ops.getAccountDeleteRequest(requestId);
  expect(stored).toMatchObject({ status: "failed", failedAt: T0, steps: {} });
  for (const fragment of named) expect(stored?.lastError).toContain(fragment);
  const after = dumpWithoutRowsMentioning(await dumpTables(), [requestId]);
  expect(after).toEqual(before);
  const again = await runErasure(repositories, at(HOUR));
  expect(again.scanned).toBe(0);
}
