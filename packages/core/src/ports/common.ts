import type { ISODateTime } from "../time.ts";

/** A page of work from a bounded maintenance query. */
export interface MikaBoundedResult {
  /** True when more rows matched than the limit allowed; run again to continue. */
  hasMore: boolean;
}

/** Size and age of one backlog, as `mika-maintenance status` reports it. */
export interface MikaBacklogFigure {
  count: number;
  /** The oldest due row's reference time, or `null` when the backlog is empty. */
  oldestAt: ISODateTime | null;
}

/** JSON-compatible metadata stored alongside a row. */
export type MikaMetadata = Record<string, unknown>;
