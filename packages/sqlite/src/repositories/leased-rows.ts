import type { ISODateTime, MikaBatchSize } from "@mika-maintenance/core";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireText, requireTime } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { sweep } from "./sweep.ts";

/**
 * The lease protocol an outbox email and a workflow share, written once: taking a lease,
 * the compare-and-set on a held lease, clearing it, and reclaiming rows whose last allowed
 * lease ran out.
 */

/** The columns every leased table has. */
export interface LeaseColumns {
  id: SQLiteColumn;
  status: SQLiteColumn;
  attemptCount: SQLiteColumn;
  maxAttempts: SQLiteColumn;
  leaseKey: SQLiteColumn;
  leaseExpiresAt: SQLiteColumn;
}

/** The lease columns of a row nobody holds. */
export const CLEARED_LEASE = { leaseKey: null, leasedAt: null, leaseExpiresAt: null } as const;

/** A lease being taken: its holder (a key, or an expression per row), the time, its end. */
export interface LeaseGrant<Status extends string> {
  now: ISODateTime;
  leaseKey: string | SQL;
  leaseExpiresAt: ISODateTime;
  /** The status a leased row has (`queued` for emails, `running` for workflows). */
  status: Status;
}

/** The `set` of taking a lease: status, holder, times, one more attempt counted. */
export function takeLease<Status extends string>(t: LeaseColumns, grant: LeaseGrant<Status>) {
  return {
    status: grant.status,
    leaseKey: grant.leaseKey,
    leasedAt: grant.now,
    leaseExpiresAt: grant.leaseExpiresAt,
    attemptCount: sql`${t.attemptCount} + 1`,
    updatedAt: grant.now,
  };
}

/** The compare-and-set of a held lease: the row is still `status` under `leaseKey`. */
export function heldBy(t: LeaseColumns, id: string, leaseKey: string, status: string): SQL {
  return and(eq(t.id, id), eq(t.status, status), eq(t.leaseKey, leaseKey))!;
}

/** A lease request as the ports receive it (validated here, in this order). */
export interface LeaseRequest {
  now: unknown;
  leaseExpiresAt: unknown;
  leaseKey: unknown;
}

/**
 * Takes the lease on row `id` when `takeable(now)` still selects it, in one compare-and-set
 * statement (plus `alsoSet`, e.g. clearing the last error); the leased row, or null when
 * another holder or the row's state stood in the way.
 */
export async function takeLeasedRow<Row>(
  database: MikaSqliteDatabase,
  table: SQLiteTable & LeaseColumns,
  id: string,
  request: LeaseRequest,
  lease: { status: string; takeable: (now: ISODateTime) => SQL; alsoSet?: object },
): Promise<Row | null> {
  const now = requireTime(request.now, "now");
  const leaseExpiresAt = requireTime(request.leaseExpiresAt, "leaseExpiresAt");
  const leaseKey = requireText(request.leaseKey, "leaseKey");
  return database.run(async (db) => {
    const [row] = await db
      // The table is one of the leased tables; drizzle cannot type a generic one.
      .update(table as SQLiteTable)
      .set({
        ...takeLease(table, { now, leaseKey, leaseExpiresAt, status: lease.status }),
        ...lease.alsoSet,
      } as never)
      .where(and(eq(table.id, id), lease.takeable(now)))
      .returning();
    return (row as Row | undefined) ?? null;
  });
}

/** A heartbeat on one row: its holder's key, the status it holds, the lease's new end. */
export interface LeaseExtension {
  id: string;
  leaseKey: string;
  status: string;
  now: ISODateTime;
  leaseExpiresAt: ISODateTime;
}

/**
 * Heartbeat: moves the lease's end while `leaseKey` still holds the row in `status` and the
 * lease has not run out at `now` (compare-and-set in one statement). `null` when lost.
 */
export async function extendLeasedRow<Row>(
  database: MikaSqliteDatabase,
  table: SQLiteTable & LeaseColumns,
  lease: LeaseExtension,
): Promise<Row | null> {
  return database.run(async (db) => {
    const [row] = await db
      // The table is one of the leased tables; drizzle cannot type a generic one.
      .update(table as SQLiteTable)
      .set({ leaseExpiresAt: lease.leaseExpiresAt, updatedAt: lease.now } as never)
      .where(
        and(
          heldBy(table, lease.id, lease.leaseKey, lease.status),
          sql`${table.leaseExpiresAt} > ${toStoredTime(lease.now)}`,
        ),
      )
      .returning();
    return (row as Row | undefined) ?? null;
  });
}

/** Exhausted at `now`: in `status`, lease run out, no attempts left (plus the table's own rule). */
export function exhaustedAt(t: LeaseColumns, status: string, now: ISODateTime, extra?: SQL): SQL {
  const base = sql`${t.status} = ${sql.raw(`'${status}'`)}
    and ${t.leaseExpiresAt} <= ${toStoredTime(now)}
    and ${t.attemptCount} >= ${t.maxAttempts}`;
  return extra ? sql`${base} and ${extra}` : base;
}

/**
 * Marks up to `limit` exhausted rows with `settle` (status, last error, …) and clears their
 * lease, oldest lease first, in the batches of the shared sweep.
 */
export async function reclaimExhaustedRows(
  database: MikaSqliteDatabase,
  table: SQLiteTable & LeaseColumns,
  exhausted: SQL,
  settle: Record<string, unknown>,
  limit: number,
  batchSize: MikaBatchSize,
): Promise<{ scanned: number; reclaimed: number; hasMore: boolean }> {
  const { count, hasMore } = await sweep(
    database,
    {
      table,
      where: exhausted,
      orderBy: [table.leaseExpiresAt, table.id],
      set: { ...settle, ...CLEARED_LEASE },
    },
    limit,
    batchSize,
  );
  return { scanned: count, reclaimed: count, hasMore };
}
