import {
  addMilliseconds,
  createRandomId,
  type ISODateTime,
  MIKA_ACP_SESSION_TTL_MS,
  MIKA_ACP_TERMINAL_RETENTION_MS,
  MIKA_ACP_TERMINAL_STATUSES,
  type MikaAcpSessionRecord,
  type MikaAcpSessionStore,
} from "@mika-maintenance/core";
import { and, eq, notInArray, type SQL, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import {
  requireDurationMs,
  requireLimit,
  requireOneOf,
  requireText,
  requireTime,
  requireWholeNumber,
} from "../input.ts";
import { ACP_SESSION_STATUSES } from "../statuses.ts";
import { acpPastRetention, acpPastTtl } from "./due-conditions.ts";
import { anyRow, backlogFigure, changes, matchesSubject } from "./sql-helpers.ts";

/** The version a new session starts at. */
export const INITIAL_ACP_SESSION_VERSION = 1;

/** `repositories.acpSessions`: agentic-checkout sessions with TTL expiry and purge. */
export function createSqliteAcpSessions(
  database: MikaSqliteDatabase,
): Required<MikaAcpSessionStore> {
  const t = database.tables.acpSessions;

  const isPastTtl = (now: ISODateTime): SQL => acpPastTtl(t, now);
  const isPastRetention = (now: ISODateTime): SQL => acpPastRetention(t, now);

  return {
    async describeExpiredSessionBacklog(input) {
      const now = requireTime(input.now, "now");
      return database.run((db) => backlogFigure(db, t, t.expiresAt, isPastTtl(now)));
    },

    async cleanupExpired(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      const purgeAt = addMilliseconds(now, MIKA_ACP_TERMINAL_RETENTION_MS);
      if (limit === 0) {
        const hasMore = await database.run(
          async (db) =>
            (await anyRow(db, t, isPastTtl(now))) || (await anyRow(db, t, isPastRetention(now))),
        );
        return { scanned: 0, expired: 0, purged: 0, hasMore };
      }
      const pick = (condition: SQL, order: SQL[]) =>
        sql`select ${t.id} from ${t} where ${condition} order by ${sql.join(order, sql`, `)} limit ${limit}`;
      // One atomic batch. Purge first: sessions expired after it get purgeAt = now + 24 h, so
      // the two halves never touch the same row.
      const [purged, expired, pastTtl, pastRetention] = await database.run((db) => {
        const left = (condition: SQL) =>
          db.select({ one: sql`1` }).from(t).where(condition).limit(1);
        return db.batch([
          db
            .delete(t)
            .where(
              sql`${t.id} in (${pick(isPastRetention(now), [sql`${t.purgeAt}`, sql`${t.id}`])})`,
            )
            .returning({ id: t.id }),
          db
            .update(t)
            .set({
              status: "expired",
              expiredAt: now,
              terminalAt: now,
              purgeAt,
              version: sql`${t.version} + 1`,
              updatedAt: now,
            })
            .where(sql`${t.id} in (${pick(isPastTtl(now), [sql`${t.expiresAt}`, sql`${t.id}`])})`)
            .returning({ id: t.id }),
          left(isPastTtl(now)),
          left(isPastRetention(now)),
        ]);
      });
      return {
        scanned: expired.length + purged.length,
        expired: expired.length,
        purged: purged.length,
        hasMore: pastTtl.length > 0 || pastRetention.length > 0,
      };
    },

    async createSession(input) {
      const now = requireTime(input.now, "now");
      const ttlMs = requireDurationMs(input.ttlMs ?? MIKA_ACP_SESSION_TTL_MS, "ttlMs");
      const row: MikaAcpSessionRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        status: "not_ready_for_payment",
        payload: input.payload ?? {},
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        version: INITIAL_ACP_SESSION_VERSION,
        expiresAt: addMilliseconds(now, ttlMs),
        terminalAt: null,
        purgeAt: null,
        expiredAt: null,
        createdAt: now,
        updatedAt: now,
      };
      return database.run(async (db) => (await db.insert(t).values(row).returning())[0]!);
    },

    async getSession(sessionId) {
      return database.run(async (db) => {
        const [row] = await db.select().from(t).where(eq(t.id, sessionId));
        return row ?? null;
      });
    },

    async updateSessionStatus(input) {
      const now = requireTime(input.now, "now");
      const status = requireOneOf(input.status, ACP_SESSION_STATUSES, "status");
      const expectedVersion = requireWholeNumber(input.expectedVersion, "expectedVersion", 0);
      const terminal = MIKA_ACP_TERMINAL_STATUSES.includes(status);
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            status,
            version: sql`${t.version} + 1`,
            updatedAt: now,
            ...(terminal
              ? { terminalAt: now, purgeAt: addMilliseconds(now, MIKA_ACP_TERMINAL_RETENTION_MS) }
              : {}),
            ...(status === "expired" ? { expiredAt: now } : {}),
          })
          .where(
            and(
              eq(t.id, input.sessionId),
              eq(t.version, expectedVersion),
              notInArray(t.status, [...MIKA_ACP_TERMINAL_STATUSES]),
            ),
          )
          .returning();
        return row ?? null;
      });
    },

    async deleteSessionsForAccountDelete(input) {
      requireTime(input.now, "now");
      const subject = matchesSubject(t, input);
      if (!subject) return 0;
      return database.run(async (db) => changes(await db.delete(t).where(subject)));
    },
  };
}
