/** The three outbox drainers measured side by side. */
export const PEER_SYSTEMS = ["mika", "graphile-worker", "pg-boss"] as const;

/** One of `PEER_SYSTEMS`. */
export type PeerSystem = (typeof PEER_SYSTEMS)[number];

/** How a worker process is configured for one measurement. */
export interface PeerSettings {
  /** Handlers in flight at once in this process. */
  concurrency: number;
  /** `latency`: each system's knob for fast pickup turned; `default`: as installed. */
  tuning: "default" | "latency";
  /** Lease / expiry for a claimed item, in seconds (crash recovery shortens it). */
  leaseSeconds?: number;
}

/** Where one system's worker finds its queue. */
export interface PeerTarget {
  system: PeerSystem;
  connectionString: string;
  /** The schema this system owns for the whole bench run. */
  schema: string;
  /** Queue (pg-boss) or task identifier (graphile-worker); mika's outbox table has one queue. */
  queue: string;
  /** mika only: the adapter's table prefix. */
  tablePrefix?: string;
}

/** The time each item's handler takes: a provider call. */
export const HANDLER_MS = 20;

/** mika's email lane interval by tuning: the runtime default, and the latency setting. */
export const MIKA_LANE_INTERVAL_MS = { default: 5_000, latency: 500 } as const;

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** `connectionString` with an `application_name`, so the database's backends can be found. */
export function withApplicationName(connectionString: string, name: string): string {
  const url = new URL(connectionString);
  url.searchParams.set("application_name", name);
  return url.toString();
}
