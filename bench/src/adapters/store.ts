import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { MikaD1Binding } from "@mika-maintenance/d1";

/** The adapters the bench measures. */
export const ADAPTER_NAMES = ["postgres", "libsql", "d1"] as const;

/** One measured adapter. */
export type AdapterName = (typeof ADAPTER_NAMES)[number];

/**
 * A value of one column in a bulk insert. Plain values become literals; `sql` is a raw
 * expression over the row number `i` (0-based); `at` is a timestamp, optionally `stepMs * i`
 * later per row; `json` is a JSON document; `when` picks one of two cells by a raw condition.
 */
export type Cell =
  | string
  | number
  | null
  | { sql: string }
  | { at: string; stepMs?: number }
  | { json: unknown }
  | { when: string; value: Cell; otherwise: Cell };

/** A bulk insert of `count` generated rows into one of the adapter's tables. */
export interface SeriesInsert {
  /** Logical table name (without prefix), e.g. `ephemeral_records`. */
  table: string;
  count: number;
  columns: Record<string, Cell>;
}

/** A whole backlog swept by a raw baseline, as its driver saw it. */
export interface RawSweep {
  rows: number;
  /** Batches, each its own transaction (1 for one unbounded statement). */
  commits: number;
  /** Calls from this process to the database. */
  roundTrips: number;
  /** The longest transaction, in milliseconds. */
  longestMs: number;
}

/** The two purge baselines: the best bounded form this machine allows, and one statement. */
export interface PurgeBaselines {
  /**
   * Batches of `batch` rows picked by physical row id without a row lock, each its own
   * transaction: a server-side loop where the database has one (one round trip), else a
   * client loop of single statements.
   */
  bounded(batch: number): Promise<RawSweep>;
  /** One unbounded statement (one transaction, however long). */
  unbounded(): Promise<RawSweep>;
}

/** Raw-SQL equivalents of adapter methods, the baselines the adapter is measured against. */
export interface RawBaselines {
  /** Expired ephemeral rows at `now`, oldest first. */
  purgeEphemeral(now: string): PurgeBaselines;
  /** Raw payloads of processed events received at or before `cutoff`, oldest first. */
  purgeWebhookPayloads(now: string, cutoff: string): PurgeBaselines;
  /**
   * The fewest statements one bounded release takes (one on Postgres, stock rows locked in id
   * order; one write batch on libSQL and D1), up to `limit` expired reservations; rows released.
   */
  releaseExpiredReservationBatch(now: string, limit: number): Promise<number>;
}

/**
 * What opens the same store again: a child process for Postgres and libSQL; for D1 only this
 * process, which holds the binding to workerd (so D1 runs no scenario that forks).
 */
export type StoreTarget =
  | { adapter: "postgres"; connectionString: string; schema: string; tablePrefix: string }
  | { adapter: "libsql"; url: string; tablePrefix: string }
  | { adapter: "d1"; binding: MikaD1Binding; tablePrefix: string };

/**
 * A freshly migrated, private database (a Postgres schema, a libSQL file, or a local D1
 * database in its own workerd) for one scenario.
 */
export interface BenchStore {
  readonly name: AdapterName;
  /** The adapter instance the scenario drives. */
  readonly adapter: MikaStorageAdapter;
  readonly target: StoreTarget;
  readonly raw: RawBaselines;
  /** Another adapter instance on its own connection; the caller closes it. */
  openAdapter(): Promise<MikaStorageAdapter>;
  /** Inserts generated rows in one set-based statement, never through the ports. */
  insertSeries(insert: SeriesInsert): Promise<void>;
  /** Runs raw SQL (table names written as `{table}`) and returns the rows. */
  query(sqlText: string): Promise<Record<string, unknown>[]>;
  /** Row count of a logical table, optionally filtered by a raw `where` clause. */
  count(table: string, where?: string): Promise<number>;
  /** Deletes every row of the given logical tables. */
  clear(tables: string[]): Promise<void>;
  /** Reclaims dead rows and refreshes planner statistics of the given (default: all) tables. */
  maintain(tables?: string[]): Promise<void>;
  /** The server or engine version, for the report. */
  version(): Promise<string>;
  /** Closes connections and drops the schema or deletes the file. */
  close(): Promise<void>;
}
