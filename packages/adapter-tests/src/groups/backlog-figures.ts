import {
  describeMaintenanceStatus,
  MIKA_BLOCKED_ACCOUNT_DELETE_WINDOW_MS,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { fullAcpStore } from "./acp-sessions.ts";

const EMPTY = { count: 0, oldestAt: null };

/** The backlogs `status` and the dashboard show that no other group reads. */
export const backlogFiguresGroup = defineConformanceGroup(
  "backlogFigures",
  "ACP sessions past TTL and blocked erasures: counts and oldest ages at their boundary instants",
  {
    "describeExpiredSessionBacklog counts open sessions whose TTL ended at or before now": async ({
      repositories,
    }) => {
      const store = fullAcpStore(repositories.acpSessions);
      const describe = store.describeExpiredSessionBacklog;
      if (!describe) throw new Error("repositories.acpSessions.describeExpiredSessionBacklog");
      const read = (now: string) => describe.call(store, { now });
      expect(await read(T0)).toEqual(EMPTY);

      // TTLs end at T0 − 1 h, T0 − 1 min, exactly T0, and T0 + 1 ms.
      await store.createSession({ id: uniqueId("acp"), ttlMs: HOUR, now: at(-2 * HOUR) });
      await store.createSession({ id: uniqueId("acp"), ttlMs: MINUTE, now: at(-2 * MINUTE) });
      await store.createSession({ id: uniqueId("acp"), ttlMs: MINUTE, now: at(-MINUTE) });
      await store.createSession({ id: uniqueId("acp"), ttlMs: MINUTE, now: at(1 - MINUTE) });
      // A terminal session past its TTL is not waiting for cleanup.
      const done = await store.createSession({
        id: uniqueId("acp"),
        ttlMs: MINUTE,
        now: at(-3 * HOUR),
      });
      await store.updateSessionStatus({
        sessionId: done.id,
        expectedVersion: done.version,
        status: "completed",
        now: at(-3 * HOUR),
      });

      expect(await read(T0)).toEqual({ count: 3, oldestAt: at(-HOUR) });
      expect(await read(at(-1))).toEqual({ count: 2, oldestAt: at(-HOUR) });
      expect(await read(at(1))).toEqual({ count: 4, oldestAt: at(-HOUR) });
      expect(await read(at(-HOUR))).toEqual({ count: 1, oldestAt: at(-HOUR) });
      expect(await read(at(-HOUR - 1))).toEqual(EMPTY);

      // Cleanup expires them, so the backlog empties.
      await store.cleanupExpired({ now: T0, limit: 100 });
      expect(await read(T0)).toEqual(EMPTY);
      await expect(describe.call(store, { now: "soon" })).rejects.toThrow(/now/);
    },

    "describeBlockedAccountDeleteBacklog counts failures at or after failedSince, oldest request first":
      async ({ repositories: { ops } }) => {
        const read = (failedSince: string) =>
          ops.describeBlockedAccountDeleteBacklog({ failedSince });
        expect(await read(at(-DAY))).toEqual(EMPTY);

        const failAt = async (requestedAt: string, failedAt: string) => {
          const request = await ops.queueAccountDeleteRequest({
            userId: uniqueId("user"),
            now: requestedAt,
          });
          await ops.failAccountDeleteRequest({
            requestId: request.id,
            now: failedAt,
            error: "Account delete blocked: subscription s1 is active.",
          });
        };
        // Requested 3 days ago and failed a day ago; requested 2 h ago and failed exactly at T0.
        await failAt(at(-3 * DAY), at(-DAY));
        await failAt(at(-2 * HOUR), T0);
        // Queued and completed requests are not blocked.
        await ops.queueAccountDeleteRequest({ userId: uniqueId("user"), now: at(-5 * DAY) });
        const done = await ops.queueAccountDeleteRequest({
          userId: uniqueId("user"),
          now: at(-6 * DAY),
        });
        await ops.completeAccountDeleteRequest({ requestId: done.id, now: at(-HOUR) });

        expect(await read(at(-DAY))).toEqual({ count: 2, oldestAt: at(-3 * DAY) });
        expect(await read(at(1 - DAY))).toEqual({ count: 1, oldestAt: at(-2 * HOUR) });
        expect(await read(T0)).toEqual({ count: 1, oldestAt: at(-2 * HOUR) });
        expect(await read(at(1))).toEqual(EMPTY);
        await expect(read("last week")).rejects.toThrow(/failedSince/);
      },

    "status reports both backlogs with their oldest ages; an old failure leaves the window":
      async ({ repositories }) => {
        const store = fullAcpStore(repositories.acpSessions);
        await store.createSession({ id: uniqueId("acp"), ttlMs: MINUTE, now: at(-31 * MINUTE) });
        const request = await repositories.ops.queueAccountDeleteRequest({
          customerId: uniqueId("customer"),
          now: at(-2 * DAY),
        });
        await repositories.ops.failAccountDeleteRequest({
          requestId: request.id,
          now: at(-DAY),
          error: "Account delete blocked: cart c1 is pending checkout.",
        });

        const status = await describeMaintenanceStatus({ repositories, now: T0 });
        expect(status.backlog.acpSessionsPastTtl).toEqual({
          count: 1,
          oldestAt: at(-30 * MINUTE),
          oldestAgeMs: 30 * MINUTE,
        });
        expect(status.backlog.blockedAccountDeletes).toEqual({
          count: 1,
          oldestAt: at(-2 * DAY),
          oldestAgeMs: 2 * DAY,
        });

        // The failure happened a day ago: a window later (to the millisecond) it still counts,
        // one millisecond after that it no longer does.
        const edge = at(MIKA_BLOCKED_ACCOUNT_DELETE_WINDOW_MS - DAY);
        const atEdge = await describeMaintenanceStatus({ repositories, now: edge });
        expect(atEdge.backlog.blockedAccountDeletes).toMatchObject({ count: 1 });
        const after = await describeMaintenanceStatus({ repositories, now: at(1, edge) });
        expect(after.backlog.blockedAccountDeletes).toEqual({
          ...EMPTY,
          oldestAgeMs: null,
        });
      },
  },
);
