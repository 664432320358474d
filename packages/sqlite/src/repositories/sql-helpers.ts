import type { MikaBacklogFigure, MikaErasureSubject } from "@mika-maintenance/core";
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { MikaSqliteDatabase, MikaSqliteDrizzle, MikaSqliteRunResult } from "../database.ts";
import { fromStoredTime } from "../schema/columns.ts";

/** The columns a row is matched by in an erasure. */
export interface SubjectColumns {
  customerId?: SQLiteColumn;
  userId?: SQLiteColumn;
  emailHash?: SQLiteColumn;
}

/**
 * `customer_id = ? OR user_id = ? OR email_hash = ?` over the subject's non-null identities
 * (each served by its own index); `null` when the subject names nobody.
 */
export function matchesSubject(
  columns: SubjectColumns,
  subject: Partial<MikaErasureSubject>,
): SQL | null {
  const terms: SQL[] = [];
  if (columns.customerId && subject.customerId)
    terms.push(eq(columns.customerId, subject.customerId));
  if (columns.userId && subject.userId) terms.push(eq(columns.userId, subject.userId));
  if (columns.emailHash && subject.emailHash) terms.push(eq(columns.emailHash, subject.emailHash));
  return terms.length === 0 ? null : (or(...terms) ?? null);
}

/** Whether any row of `table` matches `condition` (reads one index entry at most). */
export async function anyRow(
  db: MikaSqliteDrizzle,
  table: SQLiteTable,
  condition: SQL,
): Promise<boolean> {
  const rows = await db.select({ one: sql`1` }).from(table).where(condition).limit(1);
  return rows.length > 0;
}

/** `count(*)` and `min(<time>)` of a backlog query, as a backlog figure. */
export async function backlogFigure(
  db: MikaSqliteDrizzle,
  table: SQLiteTable,
  referenceTime: SQL | SQLiteColumn,
  condition: SQL,
): Promise<MikaBacklogFigure> {
  const [row] = await db
    .select({ count: sql<number>`count(*)`, oldest: sql<number | null>`min(${referenceTime})` })
    .from(table)
    .where(condition);
  const oldest = row?.oldest ?? null;
  return {
    count: Number(row?.count ?? 0),
    oldestAt: oldest === null ? null : fromStoredTime(oldest),
  };
}

/** The number of rows a write statement changed, as libSQL or D1 reports it. */
export function changes(result: MikaSqliteRunResult): number {
  return result.rowsAffected ?? result.meta?.changes ?? 0;
}

/**
 * One erasure step over `table`: `set` on every row of the subject that `pending` still
 * selects (e.g. not yet redacted), in one statement; the number of rows changed. A subject
 * naming nobody changes nothing.
 */
export function updateSubjectRows(
  database: MikaSqliteDatabase,
  table: SQLiteTable & SubjectColumns,
  subject: Partial<MikaErasureSubject>,
  set: Record<string, unknown>,
  pending: SQL,
): Promise<number> {
  const matches = matchesSubject(table, subject);
  if (!matches) return Promise.resolve(0);
  return database.run(async (db) =>
    // The table is one of the erasure tables; drizzle cannot type a generic one.
    changes(
      await db
        .update(table as SQLiteTable)
        .set(set as never)
        .where(and(pending, matches)),
    ),
  );
}
