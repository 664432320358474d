import type { ISODateTime } from "../time.ts";

/** A leadership lease row: who leads `name`, for which term, until when. */
export interface MikaLeadershipLease {
  name: string;
  holder: string;
  /** Increases by one every time leadership changes hands. */
  term: number;
  acquiredAt: ISODateTime;
  renewedAt: ISODateTime;
  expiresAt: ISODateTime;
}

/**
 * `repositories.leadership`: leader election over one lease row per name. Correctness never
 * depends on it: it only keeps replicas from doing the same maintenance twice.
 */
export interface MikaLeadershipPort {
  /**
   * Takes the lease when it is free, expired (`expiresAt <= now`) or already held by `holder`
   * (then it renews, same term). A new holder gets `term + 1`. `null` when someone else holds a
   * live lease.
   */
  tryAcquireLeadership(input: {
    name: string;
    holder: string;
    now: ISODateTime;
    ttlMs: number;
  }): Promise<MikaLeadershipLease | null>;
  /** Extends the lease when `holder` still holds `term` and it has not expired; else `null`. */
  renewLeadership(input: {
    name: string;
    holder: string;
    term: number;
    now: ISODateTime;
    ttlMs: number;
  }): Promise<MikaLeadershipLease | null>;
  /** Gives the lease up (expires it now) when `holder` holds `term`; true when it did. */
  resignLeadership(input: {
    name: string;
    holder: string;
    term: number;
    now: ISODateTime;
  }): Promise<boolean>;
  /** The current lease, live or not; `null` when none was ever taken. */
  getLeadership(input: { name: string }): Promise<MikaLeadershipLease | null>;
}
