import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { MikaSqliteRowViolation } from "./errors.ts";
import type { MikaSqliteSchema } from "./schema/create-schema.ts";

/**
 * What a write statement reports, as either driver shapes it: libSQL's `rowsAffected`, D1's
 * `meta.changes`. Read it with `changes()`.
 */
export interface MikaSqliteRunResult {
  rowsAffected?: number;
  meta?: { changes?: number };
}

/**
 * The drizzle handle every repository query goes through: drizzle's SQLite database with the
 * driver's atomic `batch()` (libSQL: one write transaction; D1: one implicit transaction).
 */
export type MikaSqliteDrizzle = BaseSQLiteDatabase<"async", MikaSqliteRunResult> & {
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(
    batch: T,
  ): Promise<BatchResponse<T>>;
};

/**
 * The errors only the adapter can name (its class, its code prefix, its package): the shared
 * migration runner raises them through this.
 */
export interface MikaSqliteAdapterErrors {
  /** The database has migrations this package version does not know. */
  schemaTooNew(unknownMigrations: readonly string[]): Error;
  /** Stored rows break a rule the pending migration adds; nothing was changed. */
  rowsBreakMigration(
    migration: string,
    violations: readonly MikaSqliteRowViolation[],
    more: boolean,
  ): Error;
}

/**
 * One SQLite database as the shared repositories see it; each adapter (libSQL, D1) provides
 * one. Every multi-statement change is written as one `batch()` or one statement, so it holds
 * on a driver without interactive transactions (D1).
 */
export interface MikaSqliteDatabase {
  readonly tables: MikaSqliteSchema;
  readonly tablePrefix: string;
  readonly errors: MikaSqliteAdapterErrors;
  /**
   * Runs statements that are each atomic on their own (reads, single compare-and-set writes,
   * one `batch()`). An adapter may run `work` again when the database was locked, so it may
   * hold at most one write, and repeating the whole of it after that write failed must be safe.
   */
  run<T>(work: (db: MikaSqliteDrizzle) => Promise<T>): Promise<T>;
  /**
   * An interactive write transaction, where the driver has one (libSQL). Without it the
   * migration runner applies each migration as one batch and the one-transaction erasure is
   * not offered (erasures run step by step, each step atomic).
   */
  transaction?<T>(work: (db: MikaSqliteDrizzle) => Promise<T>): Promise<T>;
  /** The database as error messages name it (file path, URL or binding). */
  label(): string;
  /** Releases what the adapter opened; later calls fail. */
  close(): Promise<void>;
}
