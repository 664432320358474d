import type { ISODateTime } from "../time.ts";
import type { MikaMetadata } from "./common.ts";
import type { MikaLaneRunHour } from "./lane-run-hours.ts";

/** A maintenance process's liveness record. */
export interface MikaRuntimeHeartbeat {
  instanceId: string;
  host: string;
  pid: number;
  startedAt: ISODateTime;
  lastBeatAt: ISODateTime;
  isLeader: boolean;
}

/** How one lane pass ended. */
export type MikaLaneRunStatus = "completed" | "failed" | "skipped" | "abandoned";

/** One pass of one maintenance lane. */
export interface MikaLaneRunRecord {
  id: string;
  lane: string;
  instanceId: string;
  startedAt: ISODateTime;
  finishedAt: ISODateTime;
  durationMs: number;
  status: MikaLaneRunStatus;
  /** Counters of the pass (log-safe, no personal data). */
  counters: MikaMetadata;
  error: string | null;
}

/** Per-lane scheduling state, shared by every process so ticks never duplicate a lane. */
export interface MikaLaneState {
  lane: string;
  lastStartedAt: ISODateTime | null;
  /** Who started the last pass. */
  lastHolder: string | null;
}

/** A lane an operator paused: no replica starts a scheduled pass of it until it is resumed. */
export interface MikaLanePause {
  lane: string;
  pausedAt: ISODateTime;
  /** Who paused it (free text an operator reads, e.g. "dashboard"). */
  pausedBy: string;
}

/** `repositories.runtimeState`: heartbeats, lane runs and lane claims of the runtime. */
export interface MikaRuntimeStatePort {
  /** Inserts or replaces the heartbeat of `instanceId`. */
  recordHeartbeat(heartbeat: MikaRuntimeHeartbeat): Promise<void>;
  /** Heartbeats, most recent `lastBeatAt` first, at most `limit`. */
  listHeartbeats(input: { limit: number }): Promise<MikaRuntimeHeartbeat[]>;
  /** Deletes heartbeats whose `lastBeatAt` is older than `before`; returns how many. */
  pruneHeartbeats(input: { before: ISODateTime }): Promise<number>;
  /**
   * Claims a pass of `lane`: compare-and-set of its `lastStartedAt` from `expectedLastStartedAt`
   * (null = never ran) to `now`. Returns the new state, or `null` when another process moved it.
   */
  claimLane(input: {
    lane: string;
    expectedLastStartedAt: ISODateTime | null;
    holder: string;
    now: ISODateTime;
  }): Promise<MikaLaneState | null>;
  /** Every lane's scheduling state. */
  listLaneStates(): Promise<MikaLaneState[]>;
  /**
   * Stores a run and, in the same write, adds it to its lane's hour (`laneRunHourOf`), then
   * drops that lane's hours older than `laneRunHoursCutoffOf(run)`. The hours outlive the
   * runs `pruneLaneRuns` deletes, so a 5-second lane still has a full day to draw.
   */
  recordLaneRun(run: MikaLaneRunRecord): Promise<void>;
  /** The latest runs of each lane, newest first, at most `perLane` per lane. */
  listLaneRuns(input: { perLane: number }): Promise<MikaLaneRunRecord[]>;
  /** Keeps the newest `keepPerLane` runs of every lane and deletes the rest. */
  pruneLaneRuns(input: { keepPerLane: number }): Promise<number>;
  /**
   * Runs that started at or after `since`, newest first (then lane, then id), at most `limit`;
   * only `lane`'s when given. The bounded history a dashboard draws.
   */
  listLaneRunHistory(input: {
    since: ISODateTime;
    limit: number;
    lane?: string;
  }): Promise<MikaLaneRunRecord[]>;
  /**
   * The hourly rollup of recorded runs: hours starting at or after `since`, oldest first (then
   * lane), at most `limit`; only `lane`'s when given. What a 24-hour sparkline draws.
   */
  listLaneRunHours(input: {
    since: ISODateTime;
    limit: number;
    lane?: string;
  }): Promise<MikaLaneRunHour[]>;
  /**
   * Pauses (`paused: true`) or resumes `lane`, recorded in the store so every replica honours
   * it. Returns the pause, or `null` after a resume. Pausing a paused lane keeps the first pause.
   */
  setLanePaused(input: {
    lane: string;
    paused: boolean;
    by: string;
    now: ISODateTime;
  }): Promise<MikaLanePause | null>;
  /** Every paused lane, by lane name. */
  listLanePauses(): Promise<MikaLanePause[]>;
}
