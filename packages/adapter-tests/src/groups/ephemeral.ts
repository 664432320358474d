import {
  createMikaMaintenanceRunner,
  MIKA_EPHEMERAL_KINDS,
  type MikaEphemeralKind,
  type MikaEphemeralRepository,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completed } from "../support/runners.ts";

function put(
  ephemeral: MikaEphemeralRepository,
  kind: MikaEphemeralKind,
  expiresAt: string,
  subjectHash: string | null = null,
) {
  return ephemeral.putEphemeralRecord({
    kind,
    key: uniqueId("key"),
    subjectHash,
    value: uniqueId("value"),
    expiresAt,
    now: at(-HOUR),
  });
}

function keyOf(row: { kind: MikaEphemeralKind; key: string }) {
  return { kind: row.kind, key: row.key };
}

/** Tokens, nonces, locks, rate limits and cache markers: put, read, delete and purge. */
export const ephemeralGroup = defineConformanceGroup(
  "ephemeral",
  "ephemeral rows expire at expiresAt, purge in bounded batches and erasure deletes only tokens",
  {
    "putEphemeralRecord stores a row that getEphemeralRecord reads until it expires": async ({
      repositories: { ephemeral },
    }) => {
      const key = uniqueId("key");
      const stored = await ephemeral.putEphemeralRecord({
        kind: "token",
        key,
        subjectHash: "customer:c1",
        value: "v1",
        expiresAt: at(HOUR),
        now: T0,
      });
      const expected = {
        kind: "token",
        key,
        subjectHash: "customer:c1",
        value: "v1",
        expiresAt: at(HOUR),
        createdAt: T0,
      };
      expect(stored).toEqual(expected);
      expect(await ephemeral.getEphemeralRecord({ kind: "token", key, now: at(HOUR - 1) })).toEqual(
        expected,
      );
      expect(await ephemeral.getEphemeralRecord({ kind: "token", key, now: at(HOUR) })).toBeNull();
      expect(await ephemeral.getEphemeralRecord({ kind: "nonce", key, now: T0 })).toBeNull();
    },

    "putEphemeralRecord replaces the row at (kind, key); kinds are separate namespaces": async ({
      repositories: { ephemeral },
    }) => {
      const key = uniqueId("key");
      await ephemeral.putEphemeralRecord({
        kind: "lock",
        key,
        value: "a",
        expiresAt: at(HOUR),
        now: T0,
      });
      await ephemeral.putEphemeralRecord({
        kind: "nonce",
        key,
        value: "n",
        expiresAt: at(HOUR),
        now: T0,
      });
      const replaced = await ephemeral.putEphemeralRecord({
        kind: "lock",
        key,
        value: "b",
        expiresAt: at(2 * HOUR),
        now: at(1),
      });
      expect(replaced).toMatchObject({ value: "b", expiresAt: at(2 * HOUR) });
      expect(await ephemeral.getEphemeralRecord({ kind: "lock", key, now: T0 })).toEqual(replaced);
      expect(await ephemeral.getEphemeralRecord({ kind: "nonce", key, now: T0 })).toMatchObject({
        value: "n",
      });
    },

    "deleteEphemeralRecord deletes one row and says whether it did": async ({
      repositories: { ephemeral },
    }) => {
      const row = await put(ephemeral, "rate_limit", at(HOUR));
      expect(await ephemeral.deleteEphemeralRecord({ kind: "rate_limit", key: row.key })).toBe(
        true,
      );
      expect(await ephemeral.deleteEphemeralRecord({ kind: "rate_limit", key: row.key })).toBe(
        false,
      );
      expect(
        await ephemeral.getEphemeralRecord({ kind: "rate_limit", key: row.key, now: T0 }),
      ).toBeNull();
    },

    "the ephemeralRecords task purges every kind exactly at expiresAt and keeps the rest": async ({
      repositories: { ephemeral },
    }) => {
      const expired = [];
      const live = [];
      for (const kind of MIKA_EPHEMERAL_KINDS) {
        expired.push(await put(ephemeral, kind, T0));
        expired.push(await put(ephemeral, kind, at(-HOUR)));
        live.push(await put(ephemeral, kind, at(1)));
      }
      const runner = createMikaMaintenanceRunner({ repositories: { ephemeral } });
      const result = completed((await runner.runOnce({ now: T0 })).ephemeralRecords);
      expect(result).toEqual({ purged: expired.length, hasMore: false });
      for (const row of live) {
        expect(await ephemeral.getEphemeralRecord({ ...keyOf(row), now: T0 })).toEqual(row);
      }
      for (const row of expired) {
        expect(await ephemeral.deleteEphemeralRecord(keyOf(row))).toBe(false);
      }
    },

    "purgeExpired is bounded by its limit and reports hasMore": async ({
      repositories: { ephemeral },
    }) => {
      for (let index = 0; index < 5; index += 1) await put(ephemeral, "nonce", at(-index));
      expect(await ephemeral.purgeExpired({ now: T0, limit: 2 })).toEqual({
        purged: 2,
        hasMore: true,
      });
      expect(await ephemeral.purgeExpired({ now: T0, limit: 2 })).toEqual({
        purged: 2,
        hasMore: true,
      });
      expect(await ephemeral.purgeExpired({ now: T0, limit: 2 })).toEqual({
        purged: 1,
        hasMore: false,
      });
      expect(await ephemeral.purgeExpired({ now: T0, limit: 2 })).toEqual({
        purged: 0,
        hasMore: false,
      });
    },

    "deleteTokensBySubjectHashes deletes only tokens of the given subjects": async ({
      repositories: { ephemeral },
    }) => {
      const subjectA = uniqueId("subject");
      const subjectB = uniqueId("subject");
      const tokens = [
        await put(ephemeral, "token", at(HOUR), subjectA),
        await put(ephemeral, "token", at(HOUR), subjectA),
        await put(ephemeral, "token", at(HOUR), subjectB),
      ];
      const otherKinds = [];
      for (const kind of MIKA_EPHEMERAL_KINDS.filter((k) => k !== "token")) {
        otherKinds.push(await put(ephemeral, kind, at(HOUR), subjectA));
      }
      const unrelated = await put(ephemeral, "token", at(HOUR), uniqueId("subject"));
      const anonymous = await put(ephemeral, "token", at(HOUR), null);
      const deleted = await ephemeral.deleteTokensBySubjectHashes({
        subjectHashes: [subjectA, subjectB, uniqueId("nobody")],
      });
      expect(deleted).toBe(3);
      for (const row of tokens) {
        expect(await ephemeral.getEphemeralRecord({ ...keyOf(row), now: T0 })).toBeNull();
      }
      for (const row of [...otherKinds, unrelated, anonymous]) {
        expect(await ephemeral.getEphemeralRecord({ ...keyOf(row), now: T0 })).toEqual(row);
      }
      expect(await ephemeral.deleteTokensBySubjectHashes({ subjectHashes: [subjectA] })).toBe(0);
      expect(await ephemeral.deleteTokensBySubjectHashes({ subjectHashes: [] })).toBe(0);
    },
  },
);
