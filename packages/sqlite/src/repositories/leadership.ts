import { addMilliseconds, type MikaLeadershipPort } from "@mika-maintenance/core";
import { and, eq, gt, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireDurationMs, requireText, requireTime, requireWholeNumber } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { changes } from "./sql-helpers.ts";

/** `repositories.leadership`: one lease row per name, taken and renewed by compare-and-set. */
export function createSqliteLeadership(database: MikaSqliteDatabase): MikaLeadershipPort {
  const t = database.tables.leadershipLeases;

  return {
    async tryAcquireLeadership(input) {
      const name = requireText(input.name, "name");
      const holder = requireText(input.holder, "holder");
      const now = requireTime(input.now, "now");
      const expiresAt = addMilliseconds(now, requireDurationMs(input.ttlMs, "ttlMs"));
      const nowMs = toStoredTime(now);
      const sameHolder = sql`${t.holder} = excluded.holder`;
      // Renewing one's own live lease keeps the term; anything else (a change of hands, or the
      // same holder coming back after its lease lapsed) starts a new one: the term fences off
      // whatever the lapsed term was still doing.
      const ownLiveLease = sql`${sameHolder} and ${t.expiresAt} > ${nowMs}`;
      return database.run(async (db) => {
        // One statement: insert the first lease, or take over a free/expired one, or renew our
        // own. Every SET expression reads the row as it was before, so `holder` is the old one.
        const [lease] = await db
          .insert(t)
          .values({ name, holder, term: 1, acquiredAt: now, renewedAt: now, expiresAt })
          .onConflictDoUpdate({
            target: t.name,
            set: {
              term: sql`case when ${ownLiveLease} then ${t.term} else ${t.term} + 1 end`,
              acquiredAt: sql`case when ${ownLiveLease} then ${t.acquiredAt} else excluded.acquired_at end`,
              holder,
              renewedAt: now,
              expiresAt,
            },
            setWhere: sql`${sameHolder} or ${t.expiresAt} <= ${nowMs}`,
          })
          .returning();
        return lease ?? null;
      });
    },

    async renewLeadership(input) {
      const now = requireTime(input.now, "now");
      const expiresAt = addMilliseconds(now, requireDurationMs(input.ttlMs, "ttlMs"));
      const term = requireWholeNumber(input.term, "term", 0);
      return database.run(async (db) => {
        const [lease] = await db
          .update(t)
          .set({ renewedAt: now, expiresAt })
          .where(
            and(
              eq(t.name, input.name),
              eq(t.holder, input.holder),
              eq(t.term, term),
              gt(t.expiresAt, now),
            ),
          )
          .returning();
        return lease ?? null;
      });
    },

    async resignLeadership(input) {
      const now = requireTime(input.now, "now");
      const term = requireWholeNumber(input.term, "term", 0);
      return database.run(async (db) => {
        const result = await db
          .update(t)
          // Never pushes an already expired lease's end later.
          .set({ expiresAt: sql`min(${t.expiresAt}, ${toStoredTime(now)})` })
          .where(and(eq(t.name, input.name), eq(t.holder, input.holder), eq(t.term, term)));
        return changes(result) > 0;
      });
    },

    async getLeadership(input) {
      return database.run(async (db) => {
        const [lease] = await db.select().from(t).where(eq(t.name, input.name));
        return lease ?? null;
      });
    },
  };
}
