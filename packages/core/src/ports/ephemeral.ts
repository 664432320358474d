import type { ISODateTime } from "../time.ts";

/** The kinds of short-lived rows the ephemeral store keeps. */
export const MIKA_EPHEMERAL_KINDS = [
  "token",
  "rate_limit",
  "lock",
  "nonce",
  "cache_marker",
] as const;

/** The kinds of short-lived rows the ephemeral port keeps. */
export type MikaEphemeralKind = (typeof MIKA_EPHEMERAL_KINDS)[number];

/** A short-lived keyed row (token, nonce, lock, rate-limit counter, cache marker). */
export interface MikaEphemeralRecord {
  kind: MikaEphemeralKind;
  key: string;
  /** Who the row is about (e.g. `customer:<id>`, an email hash); used by erasure. */
  subjectHash: string | null;
  value: string | null;
  expiresAt: ISODateTime;
  createdAt: ISODateTime;
}

/** What `putEphemeralRecord` takes. */
export interface MikaPutEphemeralRecordInput {
  kind: MikaEphemeralKind;
  key: string;
  subjectHash?: string | null;
  value?: string | null;
  expiresAt: ISODateTime;
  now: ISODateTime;
}

/** How many expired ephemeral rows one purge call removed, and whether more are due. */
export interface MikaPurgeExpiredResult {
  purged: number;
  hasMore: boolean;
}

/** `repositories.ephemeral`: tokens, nonces, locks, rate limits and cache markers. */
export interface MikaEphemeralRepository {
  /** Inserts or replaces the row at (`kind`, `key`). */
  putEphemeralRecord(input: MikaPutEphemeralRecordInput): Promise<MikaEphemeralRecord>;
  /** The live row at (`kind`, `key`); `null` when missing or expired at `now`. */
  getEphemeralRecord(input: {
    kind: MikaEphemeralKind;
    key: string;
    now: ISODateTime;
  }): Promise<MikaEphemeralRecord | null>;
  /** Deletes the row at (`kind`, `key`); true when a row was deleted. */
  deleteEphemeralRecord(input: { kind: MikaEphemeralKind; key: string }): Promise<boolean>;
  /** Deletes up to `limit` rows with `expiresAt <= now`, any kind. */
  purgeExpired(input: { now: ISODateTime; limit: number }): Promise<MikaPurgeExpiredResult>;
  /** Erasure: deletes `token` rows whose `subjectHash` is any of `subjectHashes`. */
  deleteTokensBySubjectHashes(input: { subjectHashes: string[] }): Promise<number>;
}
