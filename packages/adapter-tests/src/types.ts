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
  close(): Promise<void>;
}

/** How an adapter declares that it cannot support a group, and why. */
export interface MikaCapabilityOptOut {
  supported: false;
  /** A full sentence shown in the test report. */
  reason: string;
}
