import type { ISODateTime, MikaLeadershipPort } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, SECOND, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";

const TTL = 30 * SECOND;

/** `holder` asks for the lease `name` at `now`, for the group's TTL. */
function acquire(
  leadership: Pick<MikaLeadershipPort, "tryAcquireLeadership">,
  name: string,
  holder: string,
  now: ISODateTime,
) {
  return leadership.tryAcquireLeadership({ name, holder, now, ttlMs: TTL });
}

/** Leader election over one lease row per name. */
export const leadershipGroup = defineConformanceGroup(
  "leadership",
  "leadership is acquired, renewed, taken over after expiry (term + 1) and resigned",
  {
    "tryAcquireLeadership takes a free lease and getLeadership reads it": async ({
      repositories: { leadership },
    }) => {
      const name = uniqueId("lead");
      expect(await leadership.getLeadership({ name })).toBeNull();
      const lease = await acquire(leadership, name, "a", T0);
      expect(lease).toEqual({
        name,
        holder: "a",
        term: expect.any(Number),
        acquiredAt: T0,
        renewedAt: T0,
        expiresAt: at(TTL),
      });
      expect(await leadership.getLeadership({ name })).toEqual(lease);
      const other = uniqueId("lead");
      const otherLease = await acquire(leadership, other, "b", T0);
      expect(otherLease?.holder).toBe("b");
    },

    "a rival cannot take a live lease: null, and the lease is unchanged": async ({
      repositories: { leadership },
    }) => {
      const name = uniqueId("lead");
      const lease = await acquire(leadership, name, "a", T0);
      const rival = await acquire(leadership, name, "b", at(TTL - 1));
      expect(rival).toBeNull();
      expect(await leadership.getLeadership({ name })).toEqual(lease);
    },

    "the holder re-acquiring renews the same term": async ({ repositories: { leadership } }) => {
      const name = uniqueId("lead");
      const lease = await acquire(leadership, name, "a", T0);
      const again = await acquire(leadership, name, "a", at(10 * SECOND));
      expect(again).toMatchObject({
        holder: "a",
        term: lease!.term,
        renewedAt: at(10 * SECOND),
        expiresAt: at(10 * SECOND + TTL),
      });
    },

    "an expired lease is taken over exactly at expiresAt with term + 1": async ({
      repositories: { leadership },
    }) => {
      const name = uniqueId("lead");
      const lease = await acquire(leadership, name, "a", T0);
      const takeover = await acquire(leadership, name, "b", at(TTL));
      expect(takeover).toEqual({
        name,
        holder: "b",
        term: lease!.term + 1,
        acquiredAt: at(TTL),
        renewedAt: at(TTL),
        expiresAt: at(2 * TTL),
      });
      const back = await acquire(leadership, name, "a", at(3 * TTL));
      expect(back?.term).toBe(lease!.term + 2);
    },

    "the same holder retaking its own expired lease starts term + 1 (a term is a fencing token)":
      async ({ repositories: { leadership } }) => {
        const name = uniqueId("lead");
        const lease = (await acquire(leadership, name, "a", T0))!;
        // Exactly at expiry, and well after it: the old term's work may have been fenced off
        // by then, so the holder must not carry on under it.
        const retaken = await acquire(leadership, name, "a", at(TTL));
        expect(retaken).toEqual({
          name,
          holder: "a",
          term: lease.term + 1,
          acquiredAt: at(TTL),
          renewedAt: at(TTL),
          expiresAt: at(2 * TTL),
        });
        const lateRetake = await acquire(leadership, name, "a", at(5 * TTL));
        expect(lateRetake?.term).toBe(lease.term + 2);
        const renewedLive = await leadership.renewLeadership({
          name,
          holder: "a",
          term: lease.term + 2,
          now: at(5 * TTL + SECOND),
          ttlMs: TTL,
        });
        expect(renewedLive?.term).toBe(lease.term + 2);
      },

    "renewLeadership extends a live lease of the right holder and term only": async ({
      repositories: { leadership },
    }) => {
      const name = uniqueId("lead");
      const lease = (await acquire(leadership, name, "a", T0))!;
      const renewed = await leadership.renewLeadership({
        name,
        holder: "a",
        term: lease.term,
        now: at(20 * SECOND),
        ttlMs: TTL,
      });
      expect(renewed).toEqual({
        ...lease,
        renewedAt: at(20 * SECOND),
        expiresAt: at(20 * SECOND + TTL),
      });
      const wrongTerm = {
        name,
        holder: "a",
        term: lease.term + 1,
        now: at(21 * SECOND),
        ttlMs: TTL,
      };
      expect(await leadership.renewLeadership(wrongTerm)).toBeNull();
      const wrongHolder = { name, holder: "b", term: lease.term, now: at(21 * SECOND), ttlMs: TTL };
      expect(await leadership.renewLeadership(wrongHolder)).toBeNull();
      expect(await leadership.getLeadership({ name })).toEqual(renewed);
      const expired = {
        name,
        holder: "a",
        term: lease.term,
        now: at(20 * SECOND + TTL),
        ttlMs: TTL,
      };
      expect(await leadership.renewLeadership(expired)).toBeNull();
      expect(await leadership.getLeadership({ name })).toEqual(renewed);
      const missing = { name: uniqueId("lead"), holder: "a", term: 1, now: T0, ttlMs: TTL };
      expect(await leadership.renewLeadership(missing)).toBeNull();
    },

    "resignLeadership frees the lease at once for the next holder; others cannot resign it":
      async ({ repositories: { leadership } }) => {
        const name = uniqueId("lead");
        const lease = (await acquire(leadership, name, "a", T0))!;
        const byRival = { name, holder: "b", term: lease.term, now: at(SECOND) };
        expect(await leadership.resignLeadership(byRival)).toBe(false);
        const staleTerm = { name, holder: "a", term: lease.term - 1, now: at(SECOND) };
        expect(await leadership.resignLeadership(staleTerm)).toBe(false);
        expect(await leadership.getLeadership({ name })).toEqual(lease);
        const resign = { name, holder: "a", term: lease.term, now: at(2 * SECOND) };
        expect(await leadership.resignLeadership(resign)).toBe(true);
        const resigned = await leadership.getLeadership({ name });
        expect(resigned).toMatchObject({ holder: "a", term: lease.term });
        expect(Date.parse(resigned!.expiresAt)).toBeLessThanOrEqual(Date.parse(at(2 * SECOND)));
        const next = await acquire(leadership, name, "b", at(2 * SECOND));
        expect(next).toMatchObject({ holder: "b", term: lease.term + 1 });
      },

    "replicas racing for a free lease: exactly one wins": {
      timeoutMs: 60_000,
      run: async ({ repositories, connections }) => {
        const replicas = await connections(4);
        for (let round = 0; round < 10; round += 1) {
          const name = uniqueId("lead");
          const results = await Promise.all(
            replicas.map((replica, index) =>
              acquire(replica.leadership, name, `replica-${index}`, T0),
            ),
          );
          const winners = results.filter((lease) => lease !== null);
          expect(winners).toHaveLength(1);
          expect(await repositories.leadership.getLeadership({ name })).toEqual(winners[0]);
        }
      },
    },
  },
);
