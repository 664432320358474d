import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { byId, uniqueId } from "../support/ids.ts";
import { enqueueTestEmail, leaseTestEmail, seedSentEmail } from "../support/seed-emails.ts";
import { createPii } from "../support/seed-person.ts";

const subject = (overrides: Partial<Record<"customerId" | "userId" | "emailHash", string>>) => ({
  customerId: null,
  userId: null,
  emailHash: null,
  ...overrides,
});

/** Host-facing account, ledger and session methods, and the erasure methods on each port. */
export const accountPortsGroup = defineConformanceGroup(
  "accountPorts",
  "customers, subscriptions, carts, orders, entitlements, licenses, exports and their erasure",
  {
    "upsertCustomer creates and updates a customer that getCustomer reads back": async ({
      repositories: { account },
    }) => {
      const id = uniqueId("cus");
      const pii = createPii();
      expect(await account.getCustomer(id)).toBeNull();
      const created = await account.upsertCustomer({
        id,
        userId: "u1",
        emailHash: "h1",
        ...pii,
        now: T0,
      });
      expect(created).toEqual({
        id,
        userId: "u1",
        emailHash: "h1",
        ...pii,
        createdAt: T0,
        updatedAt: T0,
        anonymizedAt: null,
      });
      const updated = await account.upsertCustomer({ id, name: "New Name", now: at(HOUR) });
      expect(updated).toMatchObject({ id, name: "New Name", createdAt: T0, updatedAt: at(HOUR) });
      expect(await account.getCustomer(id)).toEqual(updated);
    },

    "subscriptions are listed per customer with their latest status": async ({
      repositories: { account },
    }) => {
      const customerId = uniqueId("cus");
      const subA = uniqueId("sub");
      const subB = uniqueId("sub");
      await account.upsertSubscription({
        id: subA,
        customerId,
        status: "active",
        productId: "p",
        now: T0,
      });
      await account.upsertSubscription({
        id: subB,
        customerId,
        status: "trialing",
        productId: "q",
        now: T0,
      });
      await account.upsertSubscription({
        id: uniqueId("sub"),
        customerId: uniqueId("cus"),
        status: "active",
        productId: "p",
        now: T0,
      });
      await account.upsertSubscription({
        id: subA,
        customerId,
        status: "cancelled",
        productId: "p",
        now: at(HOUR),
      });
      const listed = await account.listSubscriptionsByCustomer({ customerId });
      expect(
        listed.map((s) => [s.id, s.status, s.customerId]).sort((a, b) => byId(a[0]!, b[0]!)),
      ).toEqual(
        [
          [subA, "cancelled", customerId],
          [subB, "trialing", customerId],
        ].sort((a, b) => byId(a[0]!, b[0]!)),
      );
      expect(await account.listSubscriptionsByCustomer({ customerId: uniqueId("cus") })).toEqual(
        [],
      );
    },

    "carts: upsert, get and the customer's carts pending checkout": async ({
      repositories: { session },
    }) => {
      const customerId = uniqueId("cus");
      const pending = await session.upsertCart({
        id: uniqueId("cart"),
        customerId,
        status: "checkout_pending",
        now: T0,
      });
      expect(pending).toEqual({
        id: pending.id,
        customerId,
        status: "checkout_pending",
        createdAt: T0,
        updatedAt: T0,
      });
      expect(await session.getCart(pending.id)).toEqual(pending);
      await session.upsertCart({ id: uniqueId("cart"), customerId, status: "open", now: T0 });
      const done = await session.upsertCart({
        id: uniqueId("cart"),
        customerId,
        status: "checkout_pending",
        now: T0,
      });
      await session.upsertCart({ id: done.id, customerId, status: "completed", now: at(MINUTE) });
      await session.upsertCart({
        id: uniqueId("cart"),
        customerId: uniqueId("cus"),
        status: "checkout_pending",
        now: T0,
      });
      const listed = await session.listCheckoutPendingCartsByCustomer({ customerId });
      expect(listed.map((cart) => cart.id)).toEqual([pending.id]);
      expect(await session.getCart(uniqueId("missing"))).toBeNull();
    },

    "anonymizeOrdersForAccountDelete strips the snapshot, keeps the amounts, runs once": async ({
      repositories: { ledger },
    }) => {
      const pii = createPii();
      const customerId = uniqueId("cus");
      const emailHash = uniqueId("eh");
      const snapshot = { ...pii, country: "DE", address: { city: "Berlin" } };
      const byCustomer = await ledger.createOrder({
        id: uniqueId("ord"),
        customerId,
        userId: "u-1",
        emailHash,
        customerSnapshot: snapshot,
        totalMinor: 4_900,
        currency: "EUR",
        status: "paid",
        now: T0,
      });
      expect(byCustomer).toMatchObject({ customerSnapshot: snapshot, anonymizedAt: null });
      expect(await ledger.getOrder(byCustomer.id)).toEqual(byCustomer);
      const guest = await ledger.createOrder({
        customerSnapshot: { email: pii.email },
        emailHash,
        totalMinor: 100,
        currency: "EUR",
        now: T0,
      });
      const other = await ledger.createOrder({
        customerId: uniqueId("cus"),
        customerSnapshot: { ...createPii() },
        totalMinor: 1,
        currency: "EUR",
        now: T0,
      });
      const sentinel = `account-deleted:${customerId}`;
      const input = { ...subject({ customerId, emailHash }), sentinel, now: at(HOUR) };
      expect(await ledger.anonymizeOrdersForAccountDelete(input)).toBe(2);
      const anonymized = await ledger.getOrder(byCustomer.id);
      expect(anonymized).toMatchObject({
        customerId,
        userId: sentinel,
        emailHash: sentinel,
        totalMinor: 4_900,
        currency: "EUR",
        status: "paid",
        anonymizedAt: at(HOUR),
      });
      expect(anonymized?.customerSnapshot).toMatchObject({
        country: "DE",
        address: { city: "Berlin" },
      });
      for (const field of ["email", "name", "company", "vatId"] as const) {
        expect(anonymized?.customerSnapshot[field] ?? null, field).toBeNull();
      }
      expect((await ledger.getOrder(guest.id))?.emailHash).toBe(sentinel);
      expect(await ledger.getOrder(other.id)).toEqual(other);
      expect(await ledger.anonymizeOrdersForAccountDelete({ ...input, now: at(2 * HOUR) })).toBe(0);
      expect((await ledger.getOrder(byCustomer.id))?.anonymizedAt).toBe(at(HOUR));
    },

    "anonymizeEntitlementsForAccountDelete replaces email hash and user id once": async ({
      repositories: { account },
    }) => {
      const userId = uniqueId("usr");
      const mine = await account.createEntitlement({
        userId,
        emailHash: "h",
        productId: "p",
        now: T0,
      });
      expect(await account.getEntitlement(mine.id)).toEqual(mine);
      expect(mine).toMatchObject({ userId, emailHash: "h", customerId: null, anonymizedAt: null });
      const other = await account.createEntitlement({
        userId: uniqueId("usr"),
        productId: "p",
        now: T0,
      });
      const sentinel = `account-deleted-user:${userId}`;
      const input = { ...subject({ userId }), sentinel, now: at(HOUR) };
      expect(await account.anonymizeEntitlementsForAccountDelete(input)).toBe(1);
      expect(await account.getEntitlement(mine.id)).toMatchObject({
        userId: sentinel,
        emailHash: sentinel,
        productId: "p",
        anonymizedAt: at(HOUR),
      });
      expect(await account.getEntitlement(other.id)).toEqual(other);
      expect(await account.anonymizeEntitlementsForAccountDelete(input)).toBe(0);
    },

    "anonymizeLicensesForAccountDelete replaces the key hash and revokes the license once": async ({
      repositories: { account },
    }) => {
      const emailHash = uniqueId("eh");
      const keyHash = uniqueId("kh");
      const mine = await account.createLicense({
        emailHash,
        keyHash,
        displaySuffix: "X9Z1",
        now: T0,
      });
      expect(mine).toMatchObject({
        status: "active",
        revokedAt: null,
        keyHash,
        displaySuffix: "X9Z1",
      });
      expect(await account.getLicense(mine.id)).toEqual(mine);
      const other = await account.createLicense({
        emailHash: uniqueId("eh"),
        keyHash: uniqueId("kh"),
        displaySuffix: "OTHR",
        now: T0,
      });
      const sentinel = `account-deleted-email:${emailHash}`;
      const input = { ...subject({ emailHash }), sentinel, now: at(HOUR) };
      expect(await account.anonymizeLicensesForAccountDelete(input)).toBe(1);
      const revoked = await account.getLicense(mine.id);
      expect(revoked).toMatchObject({
        keyHash: `${sentinel}:${mine.id}`,
        displaySuffix: "redacted",
        status: "revoked",
        emailHash: sentinel,
      });
      expect(revoked?.revokedAt).toBe(at(HOUR));
      expect(await account.getLicense(other.id)).toEqual(other);
      expect(await account.anonymizeLicensesForAccountDelete({ ...input, now: at(DAY) })).toBe(0);
      expect(await account.getLicense(mine.id)).toEqual(revoked);
    },

    "anonymizeCustomerForAccountDelete removes personal data once": async ({
      repositories: { account },
    }) => {
      const id = uniqueId("cus");
      await account.upsertCustomer({ id, userId: "u", emailHash: "h", ...createPii(), now: T0 });
      const sentinel = `account-deleted:${id}`;
      const input = { ...subject({ customerId: id }), sentinel, now: at(HOUR) };
      expect(await account.anonymizeCustomerForAccountDelete(input)).toBe(1);
      expect(await account.getCustomer(id)).toMatchObject({
        id,
        email: null,
        name: null,
        company: null,
        vatId: null,
        emailHash: sentinel,
        userId: sentinel,
        anonymizedAt: at(HOUR),
      });
      expect(await account.anonymizeCustomerForAccountDelete(input)).toBe(0);
      const missing = { ...input, customerId: uniqueId("cus") };
      expect(await account.anonymizeCustomerForAccountDelete(missing)).toBe(0);
    },

    "account exports: create, get, and erasure expires those still holding data, once": async ({
      repositories: { ops },
    }) => {
      const customerId = uniqueId("cus");
      const ready = await ops.createAccountExport({
        id: uniqueId("exp"),
        customerId,
        status: "ready",
        artifactRef: "exports/a.zip",
        downloadTokenHash: "dl-1",
        expiresAt: at(DAY),
        now: T0,
      });
      expect(ready).toEqual({
        id: ready.id,
        customerId,
        userId: null,
        status: "ready",
        artifactRef: "exports/a.zip",
        downloadTokenHash: "dl-1",
        expiresAt: at(DAY),
        createdAt: T0,
        updatedAt: T0,
      });
      expect(await ops.getAccountExport(ready.id)).toEqual(ready);
      const other = await ops.createAccountExport({
        customerId: uniqueId("cus"),
        status: "ready",
        artifactRef: "exports/b.zip",
        now: T0,
      });
      const input = { ...subject({ customerId }), now: at(HOUR) };
      expect(await ops.redactAccountExportsForAccountDelete(input)).toBe(1);
      expect(await ops.getAccountExport(ready.id)).toMatchObject({
        status: "expired",
        expiresAt: at(HOUR),
        artifactRef: null,
        downloadTokenHash: null,
      });
      expect(await ops.getAccountExport(other.id)).toEqual(other);
      expect(await ops.redactAccountExportsForAccountDelete(input)).toBe(0);
      expect(await ops.getAccountExport(uniqueId("missing"))).toBeNull();
    },

    "redactEmailsForAccountDelete skips queued mail, redacts sent mail, runs once": async ({
      repositories: { ops },
    }) => {
      const pii = createPii();
      const emailHash = uniqueId("eh");
      const personal = {
        to: pii.email,
        subject: `Hi ${pii.name}`,
        text: `${pii.company} ${pii.vatId}`,
        html: `<b>${pii.name}</b>`,
        metadata: { link: `https://shop.example/?e=${pii.email}` },
        emailHash,
        userId: "u-1",
      };
      const queued = await enqueueTestEmail(ops, personal);
      const leased = await enqueueTestEmail(ops, personal);
      await leaseTestEmail(ops, leased.id, at(-MINUTE));
      const sent = await seedSentEmail(ops, personal, at(-HOUR));
      const other = await enqueueTestEmail(ops, { emailHash: uniqueId("eh") });
      const input = { ...subject({ emailHash }), now: T0 };
      expect(await ops.redactEmailsForAccountDelete(input)).toBe(3);
      for (const id of [queued.id, leased.id, sent.id]) {
        const row = await ops.getEmail(id);
        expect(row).toMatchObject({
          to: `redacted-${id}@redacted.invalid`,
          metadata: {},
          userId: null,
          emailHash: null,
          redactedAt: T0,
          leaseKey: null,
          leaseExpiresAt: null,
        });
        const text = JSON.stringify(row);
        for (const value of Object.values(pii)) expect(text).not.toContain(value);
      }
      expect((await ops.getEmail(queued.id))?.status).toBe("skipped");
      expect((await ops.getEmail(leased.id))?.status).toBe("skipped");
      expect(await ops.getEmail(sent.id)).toMatchObject({
        status: "sent",
        sentAt: at(-HOUR),
        providerMessageId: sent.providerMessageId,
        attemptCount: 1,
      });
      expect(await ops.getEmail(other.id)).toEqual(other);
      expect((await ops.listDueEmails({ now: at(DAY), limit: 10 })).map((e) => e.id)).toEqual([
        other.id,
      ]);
      expect(await ops.redactEmailsForAccountDelete(input)).toBe(0);
    },
  },
);
