import {
  type MikaEmailOutboxRecord,
  type MikaRepositories,
  recordOrThrow,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import {
  enqueueTestEmail,
  leaseTestEmail,
  seedFailedEmail,
  seedSentEmail,
} from "../support/seed-emails.ts";
import { seedExhaustedEmail } from "../support/seed-exhausted.ts";

const CLAIMERS = 4;

/** Claims and reads every claimed row (rows written through the ports are always readable). */
async function claim(
  repositories: MikaRepositories,
  limit: number,
  now = T0,
  leaseKey = uniqueId("claim"),
) {
  const claimed = await repositories.ops.claimDueEmails({
    now,
    limit,
    leaseKey,
    leaseExpiresAt: at(5 * MINUTE, now),
  });
  return { emails: claimed.emails.map(recordOrThrow), hasMore: claimed.hasMore };
}

async function seedDue(repositories: MikaRepositories, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push((await enqueueTestEmail(repositories.ops, { now: at(-count + index) })).id);
  }
  return ids;
}

/** `claimDueEmails` and `completeEmails`: batched leases and batched, lease-checked outcomes. */
export const emailClaimsGroup = defineConformanceGroup(
  "emailClaims",
  "claims lease due emails in batches, each exactly once; batched completion keeps the lease check",
  {
    "a claim leases the oldest due emails, each under its own key, like tryLeaseEmail": async ({
      repositories,
    }) => {
      const ids = await seedDue(repositories, 5);
      const leaseKey = uniqueId("claim");
      const claimed = await claim(repositories, 3, T0, leaseKey);
      expect(claimed.hasMore).toBe(true);
      expect(claimed.emails.map((email) => email.id)).toEqual(ids.slice(0, 3));
      for (const email of claimed.emails) {
        expect(email).toMatchObject({
          status: "queued",
          attemptCount: 1,
          leaseKey: `${leaseKey}:${email.id}`,
          leasedAt: T0,
          leaseExpiresAt: at(5 * MINUTE),
          lastError: null,
        });
        expect(await repositories.ops.getEmail(email.id)).toEqual(email);
      }
      const rest = await claim(repositories, 10);
      expect(rest.emails.map((email) => email.id)).toEqual(ids.slice(3));
      expect(rest.hasMore).toBe(false);
      expect(await claim(repositories, 10)).toEqual({ emails: [], hasMore: false });
    },

    "a claim of exactly what is due reports hasMore false; a limit of 0 claims nothing": async ({
      repositories,
    }) => {
      await seedDue(repositories, 2);
      expect(await claim(repositories, 0)).toEqual({ emails: [], hasMore: true });
      const claimed = await claim(repositories, 2);
      expect([claimed.emails.length, claimed.hasMore]).toEqual([2, false]);
    },

    "a claim never returns a leased, sent, skipped, exhausted or not-yet-due email": async ({
      repositories,
    }) => {
      const { ops } = repositories;
      const leased = await enqueueTestEmail(ops, { now: at(-MINUTE) });
      await leaseTestEmail(ops, leased.id, at(-MINUTE));
      await seedSentEmail(ops, {}, at(-MINUTE));
      const skipped = await enqueueTestEmail(ops, { now: at(-MINUTE) });
      const skipLease = await leaseTestEmail(ops, skipped.id, at(-MINUTE));
      await ops.skipEmail({
        emailId: skipped.id,
        leaseKey: skipLease.leaseKey,
        now: at(-MINUTE),
        reason: "opted out",
      });
      await seedExhaustedEmail(ops, 0);
      const outOfAttempts = await enqueueTestEmail(ops, { maxAttempts: 1, now: at(-MINUTE) });
      const oneTry = await leaseTestEmail(ops, outOfAttempts.id, at(-MINUTE));
      await ops.failEmail({
        emailId: outOfAttempts.id,
        leaseKey: oneTry.leaseKey,
        now: at(-MINUTE),
        error: "550",
        nextAttemptAt: null,
      });
      await enqueueTestEmail(ops, { now: at(-MINUTE), nextAttemptAt: at(1) });
      await seedFailedEmail(ops, {}, { now: at(-MINUTE), nextAttemptAt: at(MINUTE) });
      const due = await enqueueTestEmail(ops, { now: at(-MINUTE) });
      const retry = await seedFailedEmail(ops, {}, { now: at(-2 * MINUTE), nextAttemptAt: T0 });

      const claimed = await claim(repositories, 50);
      expect(claimed.emails.map((email) => email.id).sort()).toEqual([due.id, retry.id].sort());
      expect(claimed.hasMore).toBe(false);
      const retried = claimed.emails.find((email) => email.id === retry.id);
      expect(retried).toMatchObject({ status: "queued", attemptCount: 2, lastError: null });
    },

    "an email whose lease expired is claimed again, with one more attempt counted": async ({
      repositories,
    }) => {
      const email = await enqueueTestEmail(repositories.ops, { now: at(-MINUTE) });
      const first = await claim(repositories, 1);
      expect(first.emails).toHaveLength(1);
      expect((await claim(repositories, 1, at(5 * MINUTE - 1))).emails).toEqual([]);
      const again = await claim(repositories, 1, at(5 * MINUTE));
      expect(again.emails.map((row) => [row.id, row.attemptCount])).toEqual([[email.id, 2]]);
      expect(again.emails[0]!.leaseKey).not.toBe(first.emails[0]!.leaseKey);
    },

    [`${CLAIMERS} claimers on ${CLAIMERS} connections: every email is claimed exactly once`]: {
      timeoutMs: 120_000,
      run: async ({ repositories, connections }) => {
        const ids = await seedDue(repositories, 200);
        const claimers = await connections(CLAIMERS);
        const taken: MikaEmailOutboxRecord[][] = claimers.map(() => []);
        await Promise.all(
          claimers.map(async (claimer, index) => {
            for (;;) {
              const { emails } = await claim(claimer, 7);
              if (emails.length === 0) return;
              taken[index]!.push(...emails);
            }
          }),
        );
        const all = taken.flat().map((email) => email.id);
        expect(all).toHaveLength(ids.length);
        expect(new Set(all).size).toBe(ids.length);
        const stored = await Promise.all(ids.map((id) => repositories.ops.getEmail(id)));
        expect(stored.filter((row) => row?.attemptCount !== 1)).toEqual([]);
      },
    },

    [`${CLAIMERS} claimers racing for one email: exactly one gets it, the others get nothing`]: {
      timeoutMs: 60_000,
      run: async ({ repositories, connections }) => {
        const claimers = await connections(CLAIMERS);
        for (let round = 0; round < 10; round += 1) {
          const email = await enqueueTestEmail(repositories.ops, { now: at(-MINUTE) });
          const results = await Promise.all(claimers.map((claimer) => claim(claimer, 5)));
          const winners = results.filter((result) => result.emails.length > 0);
          expect(winners).toHaveLength(1);
          expect(winners[0]!.emails.map((row) => row.id)).toEqual([email.id]);
          expect(await repositories.ops.getEmail(email.id)).toMatchObject({
            attemptCount: 1,
            leaseKey: winners[0]!.emails[0]!.leaseKey,
          });
        }
      },
    },

    "completeEmails records each outcome under its lease, in one call": async ({
      repositories,
    }) => {
      const ids = await seedDue(repositories, 4);
      const { emails } = await claim(repositories, 4);
      const key = (id: string) => emails.find((email) => email.id === id)!.leaseKey!;
      const stored = await repositories.ops.completeEmails({
        now: at(MINUTE),
        completions: [
          { emailId: ids[0]!, leaseKey: key(ids[0]!), outcome: "sent", providerMessageId: "pm-0" },
          {
            emailId: ids[1]!,
            leaseKey: key(ids[1]!),
            outcome: "failed",
            error: "421 later",
            nextAttemptAt: at(2 * MINUTE),
          },
          { emailId: ids[2]!, leaseKey: key(ids[2]!), outcome: "skipped", reason: "unsubscribed" },
          { emailId: ids[3]!, leaseKey: key(ids[3]!), outcome: "released" },
        ],
      });
      expect(stored.map((row) => row?.status)).toEqual(["sent", "failed", "skipped", "queued"]);
      const lease = { leaseKey: null, leasedAt: null, leaseExpiresAt: null };
      expect(await repositories.ops.getEmail(ids[0]!)).toMatchObject({
        ...lease,
        status: "sent",
        sentAt: at(MINUTE),
        providerMessageId: "pm-0",
        attemptCount: 1,
      });
      expect(await repositories.ops.getEmail(ids[1]!)).toMatchObject({
        ...lease,
        status: "failed",
        lastError: "421 later",
        nextAttemptAt: at(2 * MINUTE),
        attemptCount: 1,
      });
      expect(await repositories.ops.getEmail(ids[2]!)).toMatchObject({
        ...lease,
        status: "skipped",
        skipReason: "unsubscribed",
      });
      expect(await repositories.ops.getEmail(ids[3]!)).toMatchObject({
        ...lease,
        status: "queued",
        attemptCount: 0,
      });
      expect((await claim(repositories, 10, at(MINUTE))).emails.map((row) => row.id)).toEqual([
        ids[3],
      ]);
    },

    "completeEmails with a stale lease key leaves that row alone and settles the others": async ({
      repositories,
    }) => {
      const ids = await seedDue(repositories, 2);
      const first = await claim(repositories, 2);
      const stale = first.emails.find((email) => email.id === ids[0])!;
      // The lease of the first email runs out and another worker claims it again.
      const second = await claim(repositories, 1, at(5 * MINUTE));
      expect(second.emails.map((email) => email.id)).toEqual([ids[0]]);
      const fresh = first.emails.find((email) => email.id === ids[1])!;
      const stored = await repositories.ops.completeEmails({
        now: at(6 * MINUTE),
        completions: [
          { emailId: stale.id, leaseKey: stale.leaseKey!, outcome: "sent" },
          { emailId: fresh.id, leaseKey: fresh.leaseKey!, outcome: "sent" },
          {
            emailId: fresh.id,
            leaseKey: "never-held",
            outcome: "failed",
            error: "x",
            nextAttemptAt: null,
          },
        ],
      });
      expect(stored.map((row) => row?.id ?? null)).toEqual([null, fresh.id, null]);
      expect(await repositories.ops.getEmail(stale.id)).toMatchObject({
        status: "queued",
        attemptCount: 2,
        leaseKey: second.emails[0]!.leaseKey,
        sentAt: null,
      });
      expect(await repositories.ops.getEmail(fresh.id)).toMatchObject({ status: "sent" });
      expect(await repositories.ops.completeEmails({ now: T0, completions: [] })).toEqual([]);
    },
  },
);
