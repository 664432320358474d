import { MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, MINUTE, SECOND, T0 } from "../support/clock.ts";
import { type HeldLeaseSettle, heldLeaseSettleCases } from "../support/held-lease-settles.ts";
import { byId, uniqueId } from "../support/ids.ts";
import { dumpContains } from "../support/pii-scan.ts";
import { readableRecords } from "../support/readable.ts";
import { enqueueTestEmail, leaseTestEmail, seedSentEmail } from "../support/seed-emails.ts";

/** How the settle cases make, lease and read an email. */
const LEASED_EMAIL: Pick<HeldLeaseSettle, "seed" | "lease" | "read"> = {
  seed: (ops) => enqueueTestEmail(ops),
  lease: (ops, id, now, leaseMs) => leaseTestEmail(ops, id, now, leaseMs),
  read: (ops, id) => ops.getEmail(id),
};

/** The outcomes a lease holder records on its email, each settled only under its lease. */
const EMAIL_SETTLES: HeldLeaseSettle[] = [
  {
    method: "completeEmail",
    ...LEASED_EMAIL,
    settle: (ops, emailId, leaseKey, now) =>
      ops.completeEmail({ emailId, leaseKey, now, providerMessageId: "msg-1" }),
    settled: (now) => ({
      status: "sent",
      sentAt: now,
      providerMessageId: "msg-1",
      attemptCount: 2,
    }),
    async after({ repositories: { ops }, dumpTables }, leaseKey) {
      expect(dumpContains(await dumpTables(), leaseKey)).toBe(false);
      expect(await ops.listDueEmails({ now: at(DAY), limit: 10 })).toEqual([]);
    },
  },
  {
    method: "failEmail",
    ...LEASED_EMAIL,
    settle: (ops, emailId, leaseKey, now) =>
      ops.failEmail({
        emailId,
        leaseKey,
        now,
        error: "SMTP 451 try later",
        nextAttemptAt: at(10 * MINUTE),
      }),
    settled: () => ({
      status: "failed",
      lastError: "SMTP 451 try later",
      nextAttemptAt: at(10 * MINUTE),
      attemptCount: 2,
      sentAt: null,
    }),
  },
  {
    method: "skipEmail",
    ...LEASED_EMAIL,
    settle: (ops, emailId, leaseKey, now) =>
      ops.skipEmail({ emailId, leaseKey, now, reason: "recipient unsubscribed" }),
    settled: () => ({ status: "skipped", skipReason: "recipient unsubscribed", sentAt: null }),
    async after({ repositories: { ops } }) {
      expect(await ops.listDueEmails({ now: at(DAY), limit: 10 })).toEqual([]);
    },
  },
];

/** The outbox port's host-facing and maintenance methods, one contract at a time. */
export const emailOutboxPortGroup = defineConformanceGroup(
  "emailOutboxPort",
  "enqueue, list due, lease, complete, deliver, fail, skip and backlog of the email outbox",
  {
    "enqueueEmail stores a queued email with defaults and getEmail reads it back": async ({
      repositories: { ops },
    }) => {
      const id = uniqueId("email");
      const queued = await ops.enqueueEmail({
        id,
        to: "buyer@example.test",
        subject: "Receipt",
        now: T0,
      });
      const expected = {
        id,
        status: "queued",
        to: "buyer@example.test",
        subject: "Receipt",
        text: null,
        html: null,
        customerId: null,
        userId: null,
        emailHash: null,
        metadata: {},
        attemptCount: 0,
        maxAttempts: MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
        nextAttemptAt: null,
        leaseKey: null,
        leasedAt: null,
        leaseExpiresAt: null,
        lastError: null,
        sentAt: null,
        providerMessageId: null,
        skipReason: null,
        redactedAt: null,
        createdAt: T0,
        updatedAt: T0,
      };
      expect(queued).toEqual(expected);
      expect(await ops.getEmail(id)).toEqual(expected);
      expect(await ops.getEmail(uniqueId("missing"))).toBeNull();
      const generated = await ops.enqueueEmail({ to: "x@example.test", subject: "s", now: T0 });
      expect(generated.id).toEqual(expect.any(String));
      expect(generated.id).not.toBe("");
    },

    "enqueueEmail keeps every field it was given, including JSON metadata": async ({
      repositories: { ops },
    }) => {
      const given = {
        customerId: "cus1",
        userId: "usr1",
        emailHash: "hash1",
        metadata: { links: ["https://shop.example/a?b=1"], nested: { n: 1, ok: true } },
        maxAttempts: 2,
        nextAttemptAt: at(MINUTE),
      };
      const email = await enqueueTestEmail(ops, given);
      const stored = await ops.getEmail(email.id);
      expect(stored).toMatchObject({
        ...given,
        text: `Plain text for ${email.id}`,
        html: `<p>HTML for ${email.id}</p>`,
      });
    },

    "listDueEmails returns only due emails, oldest due first, then by id": async ({
      repositories: { ops },
    }) => {
      const now = T0;
      const old = await enqueueTestEmail(ops, { now: at(-3 * MINUTE) });
      const retried = await enqueueTestEmail(ops, {
        now: at(-MINUTE),
        nextAttemptAt: at(-5 * MINUTE),
      });
      const tieA = await enqueueTestEmail(ops, { now: at(-2 * MINUTE) });
      const tieB = await enqueueTestEmail(ops, { now: at(-2 * MINUTE) });
      const dueExactlyNow = await enqueueTestEmail(ops, { now: at(-MINUTE), nextAttemptAt: now });
      await enqueueTestEmail(ops, { now: at(-MINUTE), nextAttemptAt: at(1) });
      await seedSentEmail(ops, {}, at(-MINUTE));
      const skipped = await enqueueTestEmail(ops, { now: at(-MINUTE) });
      const skipLease = await leaseTestEmail(ops, skipped.id, at(-MINUTE));
      await ops.skipEmail({ emailId: skipped.id, leaseKey: skipLease.leaseKey, now, reason: "x" });
      const leased = await enqueueTestEmail(ops, { now: at(-MINUTE) });
      await leaseTestEmail(ops, leased.id, at(-SECOND), MINUTE);
      const exhausted = await enqueueTestEmail(ops, { now: at(-MINUTE), maxAttempts: 1 });
      const exhaustedLease = await leaseTestEmail(ops, exhausted.id, at(-MINUTE));
      await ops.failEmail({
        emailId: exhausted.id,
        leaseKey: exhaustedLease.leaseKey,
        now: at(-MINUTE),
        error: "bounced",
        nextAttemptAt: null,
      });
      const expiredLease = await enqueueTestEmail(ops, { now: at(-10 * MINUTE) });
      await leaseTestEmail(ops, expiredLease.id, at(-2 * MINUTE), 2 * MINUTE);

      const ties = [tieA.id, tieB.id].sort(byId);
      const due = await ops.listDueEmails({ now, limit: 50 });
      expect(due.map((email) => email.id)).toEqual([
        expiredLease.id,
        retried.id,
        old.id,
        ...ties,
        dueExactlyNow.id,
      ]);
      const limited = await ops.listDueEmails({ now, limit: 2 });
      expect(limited.map((email) => email.id)).toEqual([expiredLease.id, retried.id]);
    },

    "listDueEmails includes failed emails once their nextAttemptAt has come": async ({
      repositories: { ops },
    }) => {
      const email = await enqueueTestEmail(ops);
      const { leaseKey } = await leaseTestEmail(ops, email.id);
      await ops.failEmail({
        emailId: email.id,
        leaseKey,
        now: T0,
        error: "timeout",
        nextAttemptAt: at(MINUTE),
      });
      expect(await ops.listDueEmails({ now: at(MINUTE - 1), limit: 10 })).toEqual([]);
      const due = await ops.listDueEmails({ now: at(MINUTE), limit: 10 });
      expect(readableRecords(due).map((row) => [row.id, row.status])).toEqual([
        [email.id, "failed"],
      ]);
    },

    "tryLeaseEmail leases a due email: attemptCount + 1, lease fields set, lastError cleared":
      async ({ repositories: { ops }, dumpTables }) => {
        const email = await enqueueTestEmail(ops);
        const firstKey = uniqueId("lease");
        const first = await ops.tryLeaseEmail({
          emailId: email.id,
          leaseKey: firstKey,
          now: T0,
          leaseExpiresAt: at(MINUTE),
        });
        expect(first).toMatchObject({
          status: "queued",
          attemptCount: 1,
          leaseKey: firstKey,
          leasedAt: T0,
          leaseExpiresAt: at(MINUTE),
        });
        expect(dumpContains(await dumpTables(), firstKey)).toBe(true);
        await ops.failEmail({
          emailId: email.id,
          leaseKey: firstKey,
          now: at(SECOND),
          error: "temporary failure",
          nextAttemptAt: at(2 * MINUTE),
        });
        const secondKey = uniqueId("lease");
        const retry = await ops.tryLeaseEmail({
          emailId: email.id,
          leaseKey: secondKey,
          now: at(2 * MINUTE),
          leaseExpiresAt: at(3 * MINUTE),
        });
        expect(retry).toMatchObject({
          status: "queued",
          attemptCount: 2,
          leaseKey: secondKey,
          leasedAt: at(2 * MINUTE),
          leaseExpiresAt: at(3 * MINUTE),
          lastError: null,
        });
        expect(await ops.getEmail(email.id)).toEqual(retry);
      },

    "tryLeaseEmail loses the race against a live lease: null, and the lease stays": async ({
      repositories: { ops },
    }) => {
      const email = await enqueueTestEmail(ops);
      const { email: leased } = await leaseTestEmail(ops, email.id, T0, MINUTE);
      const stolen = await ops.tryLeaseEmail({
        emailId: email.id,
        leaseKey: uniqueId("lease"),
        now: at(MINUTE - 1),
        leaseExpiresAt: at(2 * MINUTE),
      });
      expect(stolen).toBeNull();
      expect(await ops.getEmail(email.id)).toEqual(leased);
    },

    "tryLeaseEmail takes over an expired lease exactly at leaseExpiresAt": async ({
      repositories: { ops },
    }) => {
      const email = await enqueueTestEmail(ops);
      await leaseTestEmail(ops, email.id, T0, MINUTE);
      const key = uniqueId("lease");
      const taken = await ops.tryLeaseEmail({
        emailId: email.id,
        leaseKey: key,
        now: at(MINUTE),
        leaseExpiresAt: at(2 * MINUTE),
      });
      expect(taken).toMatchObject({ leaseKey: key, attemptCount: 2, leasedAt: at(MINUTE) });
    },

    "tryLeaseEmail refuses emails that are not due: null and unchanged": async ({
      repositories: { ops },
    }) => {
      const later = await enqueueTestEmail(ops, { nextAttemptAt: at(MINUTE) });
      const sent = await seedSentEmail(ops);
      const exhausted = await enqueueTestEmail(ops, { maxAttempts: 1 });
      const exhaustedLease = await leaseTestEmail(ops, exhausted.id, T0, MINUTE);
      const snapshots = await Promise.all(
        [later.id, sent.id, exhausted.id].map((id) => ops.getEmail(id)),
      );
      for (const [emailId, now] of [
        [later.id, at(MINUTE - 1)],
        [sent.id, at(MINUTE)],
        [exhausted.id, at(2 * MINUTE)],
        [uniqueId("missing"), T0],
      ] as const) {
        const result = await ops.tryLeaseEmail({
          emailId,
          leaseKey: uniqueId("lease"),
          now,
          leaseExpiresAt: at(10 * MINUTE),
        });
        expect(result, `lease of ${emailId}`).toBeNull();
      }
      const after = await Promise.all(
        [later.id, sent.id, exhausted.id].map((id) => ops.getEmail(id)),
      );
      expect(after).toEqual(snapshots);
      expect(after[2]?.leaseKey).toBe(exhaustedLease.leaseKey);
    },

    ...heldLeaseSettleCases(EMAIL_SETTLES),

    "markEmailDelivered needs no lease, keeps the first sentAt and is null only when missing":
      async ({ repositories: { ops } }) => {
        const email = await enqueueTestEmail(ops);
        const first = await leaseTestEmail(ops, email.id, T0, MINUTE);
        await leaseTestEmail(ops, email.id, at(MINUTE), MINUTE);
        const delivered = await ops.markEmailDelivered({
          emailId: email.id,
          now: at(MINUTE + 5),
          providerMessageId: "msg-late",
        });
        expect(delivered).toMatchObject({ status: "sent", sentAt: at(MINUTE + 5) });
        const again = await ops.markEmailDelivered({
          emailId: email.id,
          now: at(2 * MINUTE),
          providerMessageId: "msg-later",
        });
        expect(again).toMatchObject({ status: "sent", sentAt: at(MINUTE + 5) });
        expect((await ops.getEmail(email.id))?.sentAt).toBe(at(MINUTE + 5));
        const late = await ops.completeEmail({
          emailId: email.id,
          leaseKey: first.leaseKey,
          now: at(3 * MINUTE),
        });
        expect(late).toBeNull();
        expect(await ops.markEmailDelivered({ emailId: uniqueId("missing"), now: T0 })).toBeNull();
      },

    "describeEmailBacklog counts due emails and reports the oldest due time": async ({
      repositories: { ops },
    }) => {
      expect(await ops.describeEmailBacklog({ now: T0 })).toEqual({ count: 0, oldestAt: null });
      await enqueueTestEmail(ops, { now: at(-2 * MINUTE) });
      await enqueueTestEmail(ops, { now: at(-3 * MINUTE), nextAttemptAt: at(-MINUTE) });
      await enqueueTestEmail(ops, { now: at(-MINUTE) });
      await enqueueTestEmail(ops, { now: at(-MINUTE), nextAttemptAt: at(MINUTE) });
      await seedSentEmail(ops, {}, at(-10 * MINUTE));
      expect(await ops.describeEmailBacklog({ now: T0 })).toEqual({
        count: 3,
        oldestAt: at(-2 * MINUTE),
      });
    },
  },
);
