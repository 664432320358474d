import type { MikaRepositories } from "@mika-maintenance/core";

/** Every row of every table, exactly as the store holds it (table name → rows). */
export type MikaTableDump = Record<string, Record<string, unknown>[]>;

/** An extra, independent connection to the same store, for concurrency tests. */
export interface MikaConformanceConnection {
  repositories: MikaRepositories;
  close(): Promise<void>;
}

/** One fresh store under test, created before each test and closed after it. */
export interface MikaConformanceStore {
  repositories: MikaRepositories;
  /** Backdoor reader: every row of every table as really stored, bypassing the ports. */
  dumpTables(): Promise<MikaTableDump>;
  /**
   * Opens another connection to the SAME store. When absent, concurrent runners share
   * `repositories` (fine for single-process stores such as the memory adapter).
   */
  connect?(): Promise<MikaConformanceConnection>;
  /**
   * Backdoor writer: stores a malformed value of `kind` in one field of one row, bypassing the
   * ports, as a stray write or a broken import would. The malformedRows* groups need it; an
   * adapter whose storage cannot hold a kind opts out of that kind's group with the reason.
   * Resolves to the table and column as the adapter's error messages name them.
   */
  writeMalformedValue?(input: MikaMalformedWrite): Promise<{ table: string; column: string }>;
  close(): Promise<void>;
}

/** The tables the malformed-row groups corrupt, by port name. */
export type MikaMalformedTable =
  | "emailOutbox"
  | "accountDeleteRequests"
  | "workflows"
  | "webhookEvents"
  | "acpSessions"
  | "stockReservations"
  | "ephemeralRecords";

/**
 * The kinds of malformed value: text in a JSON column that is not JSON, JSON that is not an
 * object, a time beyond JavaScript's date range (past year 275760), and minus infinity.
 */
export type MikaMalformedValueKind =
  | "invalidJson"
  | "jsonNotObject"
  | "timeBeyondRange"
  | "infiniteTime";

/** One backdoor write: which row (by primary key; ephemeral rows by `key`) and which field. */
export interface MikaMalformedWrite {
  table: MikaMalformedTable;
  rowId: string;
  /** The record field as the port names it, e.g. `metadata`, `createdAt`. */
  field: string;
  kind: MikaMalformedValueKind;
}

/** How an adapter declares that it cannot support a group, and why. */
export interface MikaCapabilityOptOut {
  supported: false;
  /** A full sentence shown in the test report. */
  reason: string;
}
