import type { ISODateTime } from "../time.ts";
import type { MikaBacklogFigure, MikaMetadata } from "./common.ts";
import type { MikaErasureSubject, MikaRedactEmailsInput } from "./email-outbox.ts";

/** Agentic Commerce Protocol checkout session statuses. */
export type MikaAcpSessionStatus =
  | "not_ready_for_payment"
  | "ready_for_payment"
  | "in_progress"
  | "completed"
  | "canceled"
  | "expired";

/** ACP session statuses that never change again, so their rows may be purged after retention. */
export const MIKA_ACP_TERMINAL_STATUSES: readonly MikaAcpSessionStatus[] = [
  "completed",
  "canceled",
  "expired",
];

/** Default time-to-live of an open ACP checkout session. */
export const MIKA_ACP_SESSION_TTL_MS = 15 * 60_000;
/** How long a terminal ACP session is kept before it is purged. */
export const MIKA_ACP_TERMINAL_RETENTION_MS = 24 * 60 * 60_000;

/** An agentic-checkout session. */
export interface MikaAcpSessionRecord {
  id: string;
  status: MikaAcpSessionStatus;
  payload: MikaMetadata;
  /** The buyer, when known, so an erasure can find the session (decision 0011). */
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
  /** Incremented by every change, for compare-and-set. */
  version: number;
  expiresAt: ISODateTime;
  terminalAt: ISODateTime | null;
  /** `terminalAt + 24 h` once terminal. */
  purgeAt: ISODateTime | null;
  expiredAt: ISODateTime | null;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
}

/** Counts from one ACP cleanup call: sessions looked at, expired, and purged. */
export interface MikaAcpCleanupResult {
  scanned: number;
  expired: number;
  purged: number;
  hasMore: boolean;
}

/** Input of ACP cleanup, as the runner passes it. */
export interface MikaAcpCleanupInput {
  now: ISODateTime;
  limit: number;
}

/**
 * `repositories.acpSessions` (or a host's own `acpSessionStore`): only `cleanupExpired` is
 * needed by maintenance; the rest is what a storefront uses.
 */
export interface MikaAcpSessionStore {
  /**
   * Marks up to `limit` non-terminal sessions with `expiresAt <= now` as `expired`
   * (`expiredAt = terminalAt = now`, `purgeAt = now + 24 h`, version + 1) and deletes up to
   * `limit` sessions with `purgeAt <= now`.
   */
  cleanupExpired(input: MikaAcpCleanupInput): Promise<MikaAcpCleanupResult>;
  createSession?(
    input: {
      id?: string;
      payload?: MikaMetadata;
      ttlMs?: number;
      now: ISODateTime;
    } & Partial<MikaErasureSubject>,
  ): Promise<MikaAcpSessionRecord>;
  getSession?(sessionId: string): Promise<MikaAcpSessionRecord | null>;
  /**
   * Moves a session to `status` when its version is still `expectedVersion`; terminal statuses
   * set `terminalAt = now` and `purgeAt`. `null` on a version mismatch or a terminal session.
   */
  updateSessionStatus?(input: {
    sessionId: string;
    expectedVersion: number;
    status: MikaAcpSessionStatus;
    now: ISODateTime;
  }): Promise<MikaAcpSessionRecord | null>;
  /**
   * Erasure: deletes every session matching the subject (customer id, user id or email hash),
   * whatever its status. Returns the rows deleted. The adapters' stores have it; a host's own
   * store without it keeps its sessions out of the erasure (decision 0011).
   */
  deleteSessionsForAccountDelete?(input: MikaRedactEmailsInput): Promise<number>;
  /**
   * Count and oldest `expiresAt` of sessions past their TTL that are not terminal yet (the ones
   * `cleanupExpired` would expire at `now`). The adapters' stores have it; `status` reports a
   * host's own store without it as not readable.
   */
  describeExpiredSessionBacklog?(input: { now: ISODateTime }): Promise<MikaBacklogFigure>;
}
