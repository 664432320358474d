import type { ISODateTime, MikaLeaseExtension } from "@mika-maintenance/core";
import { copy, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";

/**
 * The lease columns an outbox email and a workflow share. The lease protocol (take, hold,
 * clear, reclaim when exhausted) is written once here and used by both tables.
 */
export interface LeasedRow {
  id: string;
  status: string;
  attemptCount: number;
  maxAttempts: number;
  leaseKey: string | null;
  leasedAt: ISODateTime | null;
  leaseExpiresAt: ISODateTime | null;
  updatedAt: ISODateTime;
}

/** A new lease on a row: who holds it, until when. */
export interface LeaseGrant {
  now: ISODateTime;
  leaseKey: string;
  leaseExpiresAt: ISODateTime;
  /** The status a leased row has (`queued` for emails, `running` for workflows). */
  status: string;
}

/** True when no live lease holds the row at `now`. */
export function leaseLapsed(row: LeasedRow, now: ISODateTime): boolean {
  return row.leaseExpiresAt === null || row.leaseExpiresAt <= now;
}

/** Takes the lease: holder, times, status, and one more attempt counted. */
export function takeLease(row: LeasedRow, grant: LeaseGrant): void {
  row.status = grant.status;
  row.leaseKey = grant.leaseKey;
  row.leasedAt = grant.now;
  row.leaseExpiresAt = grant.leaseExpiresAt;
  row.attemptCount += 1;
  row.updatedAt = grant.now;
}

/** Clears the lease fields. */
export function clearLease(row: LeasedRow): void {
  row.leaseKey = null;
  row.leasedAt = null;
  row.leaseExpiresAt = null;
}

/** The row when `leaseKey` still holds it in `status`, else `undefined` (compare-and-set). */
export function heldRow<T extends LeasedRow>(
  rows: Map<string, T>,
  id: string,
  leaseKey: string,
  status: string,
): T | undefined {
  const row = rows.get(id);
  return row && row.status === status && row.leaseKey === leaseKey ? row : undefined;
}

/**
 * Heartbeat: moves the lease's end when `leaseKey` still holds the row in `status` and the lease
 * has not run out at `now` (compare-and-set); `undefined` when the lease is lost.
 */
export function extendLease<T extends LeasedRow>(
  rows: Map<string, T>,
  extension: MikaLeaseExtension,
  status: string,
): T | undefined {
  const row = heldRow(rows, extension.id, extension.leaseKey, status);
  if (!row || leaseLapsed(row, extension.now)) return undefined;
  row.leaseExpiresAt = extension.leaseExpiresAt;
  row.updatedAt = extension.now;
  return row;
}

/**
 * Exhausted rows (in `status`, lease expired, no attempts left, plus `extra`), oldest lease
 * first; `settle` is applied to at most `limit` of them.
 */
export function reclaimExhausted<T extends LeasedRow>(
  rows: Iterable<T>,
  input: { now: ISODateTime; limit: number; status: string },
  extra: (row: T) => boolean,
  settle: (row: T) => void,
): { scanned: number; reclaimed: number; hasMore: boolean } {
  const exhausted = sortRows(
    [...rows].filter(
      (row) =>
        row.status === input.status &&
        row.leaseExpiresAt !== null &&
        row.leaseExpiresAt <= input.now &&
        row.attemptCount >= row.maxAttempts &&
        extra(row),
    ),
    (row) => [row.leaseExpiresAt, row.id],
  );
  const { batch, hasMore } = takeBatch(exhausted, input.limit);
  for (const row of batch) {
    settle(row);
    clearLease(row);
    row.updatedAt = input.now;
  }
  return { scanned: batch.length, reclaimed: batch.length, hasMore };
}

/**
 * The lease protocol on one table whose leased rows have `status`: taking a lease and moving
 * its end, each a compare-and-set, each handing back a copy (`null` when refused or lost).
 */
export function leasedTable<T extends LeasedRow>(rows: Map<string, T>, status: string) {
  return {
    /**
     * Leases row `id` when `eligible` says it may be taken at `now`: one more attempt counted,
     * and `extra` applied beside.
     */
    take(
      id: string,
      input: { now: unknown; leaseExpiresAt: unknown; leaseKey: unknown },
      eligible: (row: T, now: ISODateTime) => boolean,
      extra: (row: T) => void = () => {},
    ): T | null {
      const now = portInput.requireTime(input.now, "now");
      const leaseExpiresAt = portInput.requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      const leaseKey = portInput.requireText(input.leaseKey, "leaseKey");
      const row = rows.get(id);
      if (!row || !eligible(row, now)) return null;
      takeLease(row, { now, leaseKey, leaseExpiresAt, status });
      extra(row);
      return copy(row);
    },
    /** Heartbeat (see `extendLease`). */
    extend(extension: MikaLeaseExtension): T | null {
      const row = extendLease(rows, extension, status);
      return row ? copy(row) : null;
    },
  };
}
