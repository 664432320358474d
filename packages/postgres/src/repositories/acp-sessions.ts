import {
  createRandomId,
  MIKA_ACP_SESSION_STATUSES,
  MIKA_ACP_SESSION_TTL_MS,
  MIKA_ACP_TERMINAL_RETENTION_MS,
  MIKA_ACP_TERMINAL_STATUSES,
  type MikaAcpSessionRecord,
  type MikaAcpSessionStatus,
  type MikaAcpSessionStore,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { AcpSessionsTable } from "../schema/tables.ts";
import { backlogFigure } from "./backlog-figure.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import {
  addMs,
  jsonParam,
  subjectOf,
  timestampsOf,
  toIso,
  toIsoOrNull,
  toMetadata,
  toNumber,
} from "./convert.ts";
import { erasureMatch, hasErasureSubject, subjectColumns } from "./erasure.ts";
import { findById } from "./find-by-id.ts";
import { sweep } from "./sweep.ts";

/** Open sessions, written exactly as the partial index `acp_sessions_open_expiry_idx` is. */
export const OPEN = sql<boolean>`status in ('not_ready_for_payment', 'ready_for_payment', 'in_progress')`;

function toRecord(row: Selectable<AcpSessionsTable>): MikaAcpSessionRecord {
  return {
    id: row.id,
    status: row.status as MikaAcpSessionStatus,
    payload: toMetadata(row.payload),
    ...subjectOf(row),
    version: toNumber(row.version),
    expiresAt: toIso(row.expires_at),
    terminalAt: toIsoOrNull(row.terminal_at),
    purgeAt: toIsoOrNull(row.purge_at),
    expiredAt: toIsoOrNull(row.expired_at),
    ...timestampsOf(row),
  };
}

/** `repositories.acpSessions`: agentic-checkout sessions over `<prefix>acp_sessions`. */
export function createPostgresAcpSessions({
  db,
  newBatchSize,
}: PostgresRepositoryContext): Required<MikaAcpSessionStore> {
  const table = sql.table("acp_sessions");
  const expireBatchSize = newBatchSize();
  const purgeBatchSize = newBatchSize();

  return {
    async describeExpiredSessionBacklog(input) {
      const now = portInput.requireTime(input.now, "now");
      return backlogFigure(
        db,
        "acp_sessions",
        sql`expires_at`,
        sql<boolean>`${OPEN} and expires_at <= ${now}`,
      );
    },

    async cleanupExpired(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit, "limit");
      const purgeAt = addMs(now, MIKA_ACP_TERMINAL_RETENTION_MS);
      const openDue = sql<boolean>`${OPEN} and expires_at <= ${now}`;
      const purgeDue = sql<boolean>`purge_at is not null and purge_at <= ${now}`;
      const expired = await sweep(
        db,
        {
          table,
          where: openDue,
          orderBy: sql`expires_at, id`,
          set: sql`status = 'expired', expired_at = ${now}, terminal_at = ${now},
              purge_at = ${purgeAt}, version = version + 1, updated_at = ${now}`,
        },
        limit,
        expireBatchSize,
      );
      const purged = await sweep(
        db,
        { table, where: purgeDue, orderBy: sql`purge_at, id` },
        limit,
        purgeBatchSize,
      );
      return {
        scanned: expired.count + purged.count,
        expired: expired.count,
        purged: purged.count,
        hasMore: expired.hasMore || purged.hasMore,
      };
    },

    async createSession(input) {
      const now = portInput.requireTime(input.now, "now");
      const ttlMs = portInput.requireDurationMs(input.ttlMs ?? MIKA_ACP_SESSION_TTL_MS, "ttlMs");
      const row = await db
        .insertInto("acp_sessions")
        .values({
          id: input.id ?? createRandomId(),
          status: "not_ready_for_payment",
          payload: jsonParam(input.payload),
          ...subjectColumns(input),
          version: 1,
          expires_at: addMs(now, ttlMs),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getSession(sessionId) {
      const row = await findById(db, "acp_sessions", sessionId);
      return row ? toRecord(row) : null;
    },

    async updateSessionStatus(input) {
      const now = portInput.requireTime(input.now, "now");
      const status = portInput.requireOneOf(input.status, MIKA_ACP_SESSION_STATUSES, "status");
      const terminal = MIKA_ACP_TERMINAL_STATUSES.includes(status);
      const row = await db
        .updateTable("acp_sessions")
        .set({
          status,
          version: sql<number>`version + 1`,
          updated_at: now,
          ...(terminal
            ? {
                terminal_at: now,
                purge_at: addMs(now, MIKA_ACP_TERMINAL_RETENTION_MS),
                ...(status === "expired" ? { expired_at: now } : {}),
              }
            : {}),
        })
        .where("id", "=", input.sessionId)
        .where("version", "=", input.expectedVersion)
        .where(OPEN)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async deleteSessionsForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      portInput.requireTime(input.now, "now");
      const result = await db
        .deleteFrom("acp_sessions")
        .where((eb) => erasureMatch(eb, input))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
