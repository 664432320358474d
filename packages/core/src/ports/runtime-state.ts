import type { ISODateTime } from "../time.ts";
import type { MikaMetadata } from "./common.ts";

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
  recordLaneRun(run: MikaLaneRunRecord): Promise<void>;
  /** The latest runs of each lane, newest first, at most `perLane` per lane. */
  listLaneRuns(input: { perLane: number }): Promise<MikaLaneRunRecord[]>;
  /** Keeps the newest `keepPerLane` runs of every lane and deletes the rest. */
  pruneLaneRuns(input: { keepPerLane: number }): Promise<number>;
}
