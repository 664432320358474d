import type { ISODateTime } from "../time.ts";
import type { MikaLaneRunRecord } from "./runtime-state.ts";

/**
 * The counters of a pass that count items it moved, by the action they stand for. Other
 * counters (`scanned`, `leased`, `hasMore`, …) describe the work, not its outcome.
 */
export const MIKA_MOVED_COUNTERS: Readonly<Record<string, string>> = {
  sent: "sent",
  reservationsReleased: "released",
  reclaimed: "reclaimed",
  purged: "purged",
  expired: "expired",
  completed: "erased",
  retried: "retried",
};

/** Counters that count items a pass tried and failed to move. */
export const MIKA_ITEM_FAILURE_COUNTERS: readonly string[] = ["failed"];

/** One hour is the grain of the stored run rollup. */
export const MIKA_LANE_RUN_HOUR_MS = 3_600_000;

/**
 * How long the hourly rollup is kept: recording a run drops its lane's hours older than this
 * before the run's hour, so the table holds at most a week per lane whatever the run retention.
 */
export const MIKA_LANE_RUN_HOURS_KEPT_MS = 7 * 24 * MIKA_LANE_RUN_HOUR_MS;

/** One lane's passes in one UTC hour, summed as each run is recorded. */
export interface MikaLaneRunHour {
  lane: string;
  /** The hour's first instant (minutes, seconds and milliseconds zero). */
  hourStartAt: ISODateTime;
  passes: number;
  /** Items the passes moved (the counters of `MIKA_MOVED_COUNTERS`). */
  moved: number;
  /** Failed or abandoned passes plus items that failed inside passes. */
  failures: number;
}

/** The moved items of one pass, by action (zero counts left out). */
export function movedItemsOf(counters: Record<string, unknown>): Map<string, number> {
  const moved = new Map<string, number>();
  for (const [counter, action] of Object.entries(MIKA_MOVED_COUNTERS)) {
    const value = counters[counter];
    if (typeof value === "number" && value > 0) moved.set(action, (moved.get(action) ?? 0) + value);
  }
  return moved;
}

/** How many items of one pass failed. */
export function failedItemsOf(counters: Record<string, unknown>): number {
  let failed = 0;
  for (const counter of MIKA_ITEM_FAILURE_COUNTERS) {
    const value = counters[counter];
    if (typeof value === "number" && value > 0) failed += value;
  }
  return failed;
}

/** The total of moved items of one pass. */
export function movedTotalOf(counters: Record<string, unknown>): number {
  let total = 0;
  for (const count of movedItemsOf(counters).values()) total += count;
  return total;
}

/** The UTC hour an instant falls in, as the instant that starts it. */
export function laneRunHourStartOf(instant: ISODateTime): ISODateTime {
  const ms = Date.parse(instant);
  return new Date(
    ms - (((ms % MIKA_LANE_RUN_HOUR_MS) + MIKA_LANE_RUN_HOUR_MS) % MIKA_LANE_RUN_HOUR_MS),
  ).toISOString();
}

/**
 * What one recorded run adds to its hour: adapters add these figures to the hour row (or
 * create it) in the same write as the run, so the rollup never disagrees with the runs.
 */
export function laneRunHourOf(run: MikaLaneRunRecord): MikaLaneRunHour {
  const counters = run.counters ?? {};
  return {
    lane: run.lane,
    hourStartAt: laneRunHourStartOf(run.startedAt),
    passes: 1,
    moved: movedTotalOf(counters),
    failures:
      (run.status === "failed" || run.status === "abandoned" ? 1 : 0) + failedItemsOf(counters),
  };
}

/**
 * The hour before which `run`'s lane keeps no rollup: recording the run deletes the lane's
 * hours that start before it.
 */
export function laneRunHoursCutoffOf(run: MikaLaneRunRecord): ISODateTime {
  return new Date(
    Date.parse(laneRunHourStartOf(run.startedAt)) - MIKA_LANE_RUN_HOURS_KEPT_MS,
  ).toISOString();
}
