import {
  createMikaMaintenanceRunner,
  MIKA_ACP_SESSION_TTL_MS,
  MIKA_ACP_TERMINAL_RETENTION_MS,
  MIKA_ACP_TERMINAL_STATUSES,
  type MikaAcpSessionStore,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completed } from "../support/runners.ts";

type FullAcpStore = Required<MikaAcpSessionStore>;

/** The ACP store with its storefront methods, which these tests need to seed sessions. */
export function fullAcpStore(store: MikaAcpSessionStore): FullAcpStore {
  for (const method of ["createSession", "getSession", "updateSessionStatus"] as const) {
    if (typeof store[method] !== "function") {
      throw new Error(
        `repositories.acpSessions.${method} is needed to seed ACP sessions; implement it or opt out of the "acpSessions" group with a reason.`,
      );
    }
  }
  return store as FullAcpStore;
}

async function createOpenSession(store: FullAcpStore, now: string, ttlMs?: number) {
  return store.createSession({
    id: uniqueId("acp"),
    payload: { lineItems: [{ sku: "sku-1", quantity: 1 }] },
    now,
    ...(ttlMs === undefined ? {} : { ttlMs }),
  });
}

/** ACP checkout sessions: storefront CAS updates and the maintenance expiry and purge. */
export const acpSessionsGroup = defineConformanceGroup(
  "acpSessions",
  "ACP sessions expire after their TTL (version + 1) and terminal ones are purged after 24 h",
  {
    "createSession opens a session with the default 15-minute TTL": async ({ repositories }) => {
      const store = fullAcpStore(repositories.acpSessions);
      const session = await createOpenSession(store, T0);
      expect(MIKA_ACP_TERMINAL_STATUSES).not.toContain(session.status);
      expect(session).toMatchObject({
        expiresAt: at(MIKA_ACP_SESSION_TTL_MS),
        terminalAt: null,
        purgeAt: null,
        expiredAt: null,
        createdAt: T0,
        updatedAt: T0,
        payload: { lineItems: [{ sku: "sku-1", quantity: 1 }] },
      });
      expect(await store.getSession(session.id)).toEqual(session);
      expect(await store.getSession(uniqueId("missing"))).toBeNull();
      const custom = await createOpenSession(store, T0, HOUR);
      expect(custom.expiresAt).toBe(at(HOUR));
    },

    "updateSessionStatus is compare-and-set on the version; terminal sessions are final": async ({
      repositories,
    }) => {
      const store = fullAcpStore(repositories.acpSessions);
      const session = await createOpenSession(store, T0);
      const stale = await store.updateSessionStatus({
        sessionId: session.id,
        expectedVersion: session.version + 1,
        status: "ready_for_payment",
        now: at(MINUTE),
      });
      expect(stale).toBeNull();
      expect(await store.getSession(session.id)).toEqual(session);
      const ready = await store.updateSessionStatus({
        sessionId: session.id,
        expectedVersion: session.version,
        status: "ready_for_payment",
        now: at(MINUTE),
      });
      expect(ready).toMatchObject({ status: "ready_for_payment", version: session.version + 1 });
      const done = await store.updateSessionStatus({
        sessionId: session.id,
        expectedVersion: ready!.version,
        status: "completed",
        now: at(2 * MINUTE),
      });
      expect(done).toMatchObject({
        status: "completed",
        version: session.version + 2,
        terminalAt: at(2 * MINUTE),
        purgeAt: at(MIKA_ACP_TERMINAL_RETENTION_MS, at(2 * MINUTE)),
      });
      const reopened = await store.updateSessionStatus({
        sessionId: session.id,
        expectedVersion: done!.version,
        status: "in_progress",
        now: at(3 * MINUTE),
      });
      expect(reopened).toBeNull();
      expect(await store.getSession(session.id)).toEqual(done);
    },

    "cleanup expires open sessions exactly at expiresAt: version + 1, purge in 24 h": async ({
      repositories,
    }) => {
      const store = fullAcpStore(repositories.acpSessions);
      const due = await createOpenSession(store, at(-MIKA_ACP_SESSION_TTL_MS));
      const fresh = await createOpenSession(store, at(1 - MIKA_ACP_SESSION_TTL_MS));
      const runner = createMikaMaintenanceRunner({ repositories: { acpSessions: store } });
      const result = completed((await runner.runOnce({ now: T0 })).acpSessions);
      expect(result).toMatchObject({ expired: 1, purged: 0, hasMore: false });
      expect(result.scanned).toBeGreaterThanOrEqual(1);
      expect(await store.getSession(due.id)).toMatchObject({
        status: "expired",
        version: due.version + 1,
        expiredAt: T0,
        terminalAt: T0,
        purgeAt: at(MIKA_ACP_TERMINAL_RETENTION_MS),
        updatedAt: T0,
      });
      expect(await store.getSession(fresh.id)).toEqual(fresh);
    },

    "cleanup purges terminal sessions exactly at purgeAt and keeps younger ones": async ({
      repositories,
    }) => {
      const store = fullAcpStore(repositories.acpSessions);
      const retention = MIKA_ACP_TERMINAL_RETENTION_MS;
      const old = await createOpenSession(store, at(-retention - HOUR), 2 * HOUR);
      await store.updateSessionStatus({
        sessionId: old.id,
        expectedVersion: old.version,
        status: "canceled",
        now: at(-retention),
      });
      const young = await createOpenSession(store, at(-retention - HOUR), 2 * HOUR);
      const youngDone = await store.updateSessionStatus({
        sessionId: young.id,
        expectedVersion: young.version,
        status: "completed",
        now: at(1 - retention),
      });
      const runner = createMikaMaintenanceRunner({ repositories: { acpSessions: store } });
      const result = completed((await runner.runOnce({ now: T0 })).acpSessions);
      expect(result).toMatchObject({ expired: 0, purged: 1, hasMore: false });
      expect(await store.getSession(old.id)).toBeNull();
      expect(await store.getSession(young.id)).toEqual(youngDone);
    },

    "an expired session is purged by a run 24 hours later": async ({ repositories }) => {
      const store = fullAcpStore(repositories.acpSessions);
      const session = await createOpenSession(store, at(-HOUR));
      await store.cleanupExpired({ now: T0, limit: 10 });
      const early = await store.cleanupExpired({
        now: at(MIKA_ACP_TERMINAL_RETENTION_MS - 1),
        limit: 10,
      });
      expect(early).toMatchObject({ expired: 0, purged: 0 });
      const late = await store.cleanupExpired({
        now: at(MIKA_ACP_TERMINAL_RETENTION_MS),
        limit: 10,
      });
      expect(late).toMatchObject({ expired: 0, purged: 1 });
      expect(await store.getSession(session.id)).toBeNull();
    },

    "cleanupExpired is bounded by its limit and reports hasMore": async ({ repositories }) => {
      const store = fullAcpStore(repositories.acpSessions);
      for (let index = 0; index < 3; index += 1) await createOpenSession(store, at(-HOUR - index));
      const first = await store.cleanupExpired({ now: T0, limit: 2 });
      expect(first).toMatchObject({ expired: 2, purged: 0, hasMore: true });
      const second = await store.cleanupExpired({ now: T0, limit: 2 });
      expect(second).toMatchObject({ expired: 1, purged: 0, hasMore: false });
      const third = await store.cleanupExpired({ now: T0, limit: 2 });
      expect(third).toMatchObject({ expired: 0, purged: 0, hasMore: false });
    },
  },
);
