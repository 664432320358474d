import {
  addMilliseconds,
  type ISODateTime,
  MIKA_ACP_SESSION_STATUSES,
  MIKA_ACP_SESSION_TTL_MS,
  MIKA_ACP_TERMINAL_RETENTION_MS,
  MIKA_ACP_TERMINAL_STATUSES,
  type MikaAcpSessionRecord,
  type MikaAcpSessionStatus,
  type MikaAcpSessionStore,
} from "@mika-maintenance/core";
import { backlogFigure, copy, insertNew, readById, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows, subjectColumns } from "./erasure-subject.ts";

/** The version a new session starts at. */
export const INITIAL_ACP_SESSION_VERSION = 1;

function isTerminal(status: MikaAcpSessionStatus): boolean {
  return MIKA_ACP_TERMINAL_STATUSES.includes(status);
}

/** Moves a session to a new status, stamping terminal bookkeeping when it ends. */
function transition(session: MikaAcpSessionRecord, status: MikaAcpSessionStatus, now: ISODateTime) {
  session.status = status;
  session.version += 1;
  session.updatedAt = now;
  if (isTerminal(status)) {
    session.terminalAt = now;
    session.purgeAt = addMilliseconds(now, MIKA_ACP_TERMINAL_RETENTION_MS);
  }
  if (status === "expired") session.expiredAt = now;
}

/** `repositories.acpSessions`: agentic-checkout sessions with TTL expiry and purge. */
export function createMemoryAcpSessions(state: MemoryState): Required<MikaAcpSessionStore> {
  const sessions = state.tables.acpSessions;

  return {
    async cleanupExpired(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit);
      const all = [...sessions.values()];
      const toExpire = takeBatch(
        sortRows(
          all.filter((session) => !isTerminal(session.status) && session.expiresAt <= now),
          (session) => [session.expiresAt, session.id],
        ),
        limit,
      );
      const toPurge = takeBatch(
        sortRows(
          all.filter((session) => session.purgeAt !== null && session.purgeAt <= now),
          (session) => [session.purgeAt, session.id],
        ),
        limit,
      );
      for (const session of toExpire.batch) transition(session, "expired", now);
      for (const session of toPurge.batch) sessions.delete(session.id);
      return {
        scanned: toExpire.batch.length + toPurge.batch.length,
        expired: toExpire.batch.length,
        purged: toPurge.batch.length,
        hasMore: toExpire.hasMore || toPurge.hasMore,
      };
    },

    async describeExpiredSessionBacklog(input) {
      const now = portInput.requireTime(input.now, "now");
      return backlogFigure(
        [...sessions.values()]
          .filter((session) => !isTerminal(session.status) && session.expiresAt <= now)
          .map((session) => session.expiresAt),
      );
    },

    async createSession(input) {
      const ttlMs = portInput.requireDurationMs(input.ttlMs ?? MIKA_ACP_SESSION_TTL_MS, "ttlMs");
      return insertNew(state, "acpSessions", input, (id, now) => ({
        id,
        status: "not_ready_for_payment" as const,
        payload: copy(input.payload ?? {}),
        ...subjectColumns(input),
        version: INITIAL_ACP_SESSION_VERSION,
        expiresAt: addMilliseconds(now, ttlMs),
        terminalAt: null,
        purgeAt: null,
        expiredAt: null,
      }));
    },

    getSession: readById(sessions),

    async updateSessionStatus(input) {
      const now = portInput.requireTime(input.now, "now");
      const status = portInput.requireOneOf(input.status, MIKA_ACP_SESSION_STATUSES, "status");
      const expectedVersion = portInput.requireWholeNumber(
        input.expectedVersion,
        "expectedVersion",
        0,
      );
      const session = sessions.get(input.sessionId);
      if (!session || session.version !== expectedVersion || isTerminal(session.status)) {
        return null;
      }
      transition(session, status, now);
      return copy(session);
    },

    async deleteSessionsForAccountDelete(input) {
      portInput.requireTime(input.now, "now");
      return eraseSubjectRows(
        [...sessions.values()],
        input,
        () => true,
        (session) => sessions.delete(session.id),
      );
    },
  };
}
