import { errorMessage } from "../errors.ts";
import type { MikaBacklogFigure } from "../ports/common.ts";
import type { MikaLeadershipLease } from "../ports/leadership.ts";
import type { MikaRepositories } from "../ports/repositories.ts";
import type {
  MikaLanePause,
  MikaLaneRunRecord,
  MikaRuntimeHeartbeat,
} from "../ports/runtime-state.ts";
import { withHostTasks } from "../runner/host-tasks.ts";
import { resolveNow } from "../runner/resolve-now.ts";
import type { MikaLaneKey } from "../runner/results.ts";
import { MIKA_MAX_LIMIT } from "../runner/run-options.ts";
import type { ISODateTime } from "../time.ts";
import {
  type MikaOptionKeyTable,
  rejectUnknownOptions,
  requireOptionsObject,
  wholeNumberInRange,
} from "../validation/option-keys.ts";
import { MIKA_RUNTIME_DEFAULTS, type MikaLaneKind, type MikaLaneRunsOn } from "./lane-defaults.ts";
import { resolveLanes } from "./resolve-runtime-options.ts";
import type { MikaMaintenanceRuntimeInput } from "./runtime-input.ts";

/** A backlog figure with the age of its oldest row, or why it could not be read. */
export type MikaBacklogStatus =
  | (MikaBacklogFigure & { oldestAgeMs: number | null })
  | { error: string };

/**
 * How a lane looks to an operator: `ok`; `failed` or `abandoned` (its last pass); `skipped`
 * (a dependency is not wired); `overdue` (no pass started for 2 × its interval + 30 s);
 * `never_ran`; `disabled`; `paused` (an operator paused it; no replica starts a pass);
 * `unknown` (the runtime state could not be read: see `lanesError`).
 */
export type MikaLaneHealth =
  | "ok"
  | "unknown"
  | "failed"
  | "abandoned"
  | "skipped"
  | "overdue"
  | "never_ran"
  | "disabled"
  | "paused";

/** One lane in `status`. */
export interface MikaLaneStatus {
  lane: MikaLaneKey;
  kind: MikaLaneKind;
  /** `leader`: only the leader runs it; `every-replica`: every running process drains it. */
  runsOn: MikaLaneRunsOn;
  enabled: boolean;
  intervalMs: number;
  health: MikaLaneHealth;
  lastStartedAt: ISODateTime | null;
  lastHolder: string | null;
  lastRun: MikaLaneRunRecord | null;
  /** Set while an operator has the lane paused. */
  paused: MikaLanePause | null;
}

/** A heartbeat with its age. */
export interface MikaInstanceStatus extends MikaRuntimeHeartbeat {
  ageMs: number;
  /** No beat for `heartbeatStaleMs`: the process is gone or stuck. */
  stale: boolean;
}

/** The leadership row as `status` shows it. */
export type MikaLeaderStatus = MikaLeadershipLease & {
  live: boolean;
  expiresInMs: number;
  ended: "resigned" | "lapsed" | null;
};

/** What `mika-maintenance status` shows. */
export interface MikaMaintenanceStatus {
  now: ISODateTime;
  leaderName: string;
  /**
   * The leadership row; `live` false when nobody leads, and then `ended` says how the last
   * term ended: `resigned` (the holder shut down cleanly and gave the lease up) or `lapsed`
   * (the holder stopped renewing: crashed, hung or lost the database).
   */
  leader: MikaLeaderStatus | null | { error: string };
  instances: MikaInstanceStatus[] | { error: string };
  /** Every lane, always; when the runtime state cannot be read each is `unknown`. */
  lanes: MikaLaneStatus[];
  /** Why the lanes' state could not be read, or `null`. */
  lanesError: string | null;
  backlog: {
    dueEmails: MikaBacklogStatus;
    expiredReservations: MikaBacklogStatus;
    queuedAccountDeletes: MikaBacklogStatus;
    /** Erasures that failed (blocked or set aside) within `MIKA_BLOCKED_ACCOUNT_DELETE_WINDOW_MS`. */
    blockedAccountDeletes: MikaBacklogStatus;
    /** ACP sessions past their TTL that cleanup has not expired yet. */
    acpSessionsPastTtl: MikaBacklogStatus;
  };
}

/**
 * How far back a failed erasure still counts as blocked: the month GDPR gives to answer a
 * request. Older failures stay in the store but no longer in the backlog.
 */
export const MIKA_BLOCKED_ACCOUNT_DELETE_WINDOW_MS = 30 * 24 * 3_600_000;

/** Inputs of `describeMaintenanceStatus`. */
export interface MikaDescribeStatusInput {
  repositories: Partial<MikaRepositories>;
  now?: ISODateTime | Date;
  leaderName?: string;
  lanes?: MikaMaintenanceRuntimeInput["lanes"];
  /** The host-defined tasks the runtime runs, so their lanes are listed too. */
  tasks?: MikaMaintenanceRuntimeInput["tasks"];
  /** A heartbeat older than this is stale. Default 3 × the default heartbeat (30 s). */
  heartbeatStaleMs?: number;
  /** How many heartbeats to list. Default 20. */
  instanceLimit?: number;
}

/** Every key of `describeMaintenanceStatus`'s input, for the unknown-key check. */
export const MIKA_DESCRIBE_STATUS_INPUT_KEYS = {
  repositories: true,
  now: true,
  leaderName: true,
  lanes: true,
  tasks: true,
  heartbeatStaleMs: true,
  instanceLimit: true,
} as const satisfies MikaOptionKeyTable<MikaDescribeStatusInput>;

const OVERDUE_GRACE_MS = 30_000;
// A year: a heartbeat older than that is stale whatever the setting.
const MAX_STALE_MS = 31_536_000_000;

/**
 * Reads leader, heartbeats, each lane's last run and the backlogs (due emails, expired but
 * active reservations, queued and blocked deletions, ACP sessions past TTL, each with its
 * oldest age). Every part is read on its
 * own, so one failing port shows as that part's `error` and the rest still reports.
 */
export async function describeMaintenanceStatus(
  input: MikaDescribeStatusInput,
): Promise<MikaMaintenanceStatus> {
  rejectUnknownOptions(
    "describeMaintenanceStatus",
    requireOptionsObject("input", input),
    MIKA_DESCRIBE_STATUS_INPUT_KEYS,
  );
  const { repositories } = input;
  const now = resolveNow(input.now, undefined);
  const nowMs = Date.parse(now);
  const leaderName = input.leaderName ?? MIKA_RUNTIME_DEFAULTS.leaderName;
  const staleMs =
    input.heartbeatStaleMs === undefined
      ? 3 * MIKA_RUNTIME_DEFAULTS.heartbeatMs
      : wholeNumberInRange("heartbeatStaleMs", input.heartbeatStaleMs, 1, MAX_STALE_MS);
  const instanceLimit =
    input.instanceLimit === undefined
      ? 20
      : wholeNumberInRange("instanceLimit", input.instanceLimit, 1, MIKA_MAX_LIMIT);
  const lanes = resolveLanes(withHostTasks(input.tasks), input.lanes);

  const [
    leader,
    instances,
    laneStatus,
    dueEmails,
    expiredReservations,
    queuedAccountDeletes,
    blockedAccountDeletes,
    acpSessionsPastTtl,
  ] = await Promise.all([
    attempt(async () => {
      const lease = await need(repositories.leadership, "leadership").getLeadership({
        name: leaderName,
      });
      if (!lease) return null;
      const expiresInMs = Date.parse(lease.expiresAt) - nowMs;
      return { ...lease, live: expiresInMs > 0, expiresInMs };
    }) as Promise<
      (MikaLeadershipLease & { live: boolean; expiresInMs: number }) | null | { error: string }
    >,
    attempt(async () => {
      const beats = await need(repositories.runtimeState, "runtimeState").listHeartbeats({
        limit: instanceLimit,
      });
      return beats.map((beat) => {
        const ageMs = nowMs - Date.parse(beat.lastBeatAt);
        return { ...beat, ageMs, stale: ageMs > staleMs };
      });
    }),
    attempt(async () => {
      const state = need(repositories.runtimeState, "runtimeState");
      const [states, runs, pauses] = await Promise.all([
        state.listLaneStates(),
        state.listLaneRuns({ perLane: 1 }),
        state.listLanePauses(),
      ]);
      return lanes.map((lane): MikaLaneStatus => {
        const laneState = states.find((candidate) => candidate.lane === lane.lane);
        const lastRun = runs.find((run) => run.lane === lane.lane) ?? null;
        // Every-replica lanes are never claimed, so their last run is the freshest start.
        const lastStartedAt = laterOf(laneState?.lastStartedAt ?? null, lastRun?.startedAt ?? null);
        const paused = pauses.find((pause) => pause.lane === lane.lane) ?? null;
        return {
          lane: lane.lane,
          kind: lane.kind,
          runsOn: lane.runsOn,
          enabled: lane.enabled,
          intervalMs: lane.intervalMs,
          health: paused
            ? "paused"
            : healthOf(lane.enabled, lane.intervalMs, lastStartedAt, lastRun, nowMs),
          lastStartedAt,
          lastHolder: laneState?.lastHolder ?? lastRun?.instanceId ?? null,
          lastRun,
          paused,
        };
      });
    }),
    backlog(() => need(repositories.ops, "ops").describeEmailBacklog({ now }), nowMs),
    backlog(
      () => need(repositories.stock, "stock").describeExpiredReservationBacklog({ now }),
      nowMs,
    ),
    backlog(() => need(repositories.ops, "ops").describeAccountDeleteBacklog({ now }), nowMs),
    backlog(
      () =>
        need(repositories.ops, "ops").describeBlockedAccountDeleteBacklog({
          failedSince: new Date(nowMs - MIKA_BLOCKED_ACCOUNT_DELETE_WINDOW_MS).toISOString(),
        }),
      nowMs,
    ),
    backlog(() => {
      const store = need(repositories.acpSessions, "acpSessions");
      if (!store.describeExpiredSessionBacklog) {
        throw new Error(
          "repositories.acpSessions has no describeExpiredSessionBacklog, so this cannot be read.",
        );
      }
      return store.describeExpiredSessionBacklog({ now });
    }, nowMs),
  ]);

  return {
    now,
    leaderName,
    leader: leaderStatus(leader, instances),
    instances,
    lanes:
      "error" in laneStatus
        ? lanes.map((lane) => ({
            lane: lane.lane,
            kind: lane.kind,
            runsOn: lane.runsOn,
            enabled: lane.enabled,
            intervalMs: lane.intervalMs,
            health: "unknown",
            lastStartedAt: null,
            lastHolder: null,
            lastRun: null,
            paused: null,
          }))
        : laneStatus,
    lanesError: "error" in laneStatus ? laneStatus.error : null,
    backlog: {
      dueEmails,
      expiredReservations,
      queuedAccountDeletes,
      blockedAccountDeletes,
      acpSessionsPastTtl,
    },
  };
}

function laterOf(a: ISODateTime | null, b: ISODateTime | null): ISODateTime | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * A lease that is no longer live ended cleanly when its holder's last heartbeat, written as
 * it stopped, came at or after the lease's end and no longer claims leadership.
 */
function leaderStatus(
  lease: (MikaLeadershipLease & { live: boolean; expiresInMs: number }) | null | { error: string },
  instances: MikaInstanceStatus[] | { error: string },
): MikaLeaderStatus | null | { error: string } {
  if (lease === null || "error" in lease) return lease;
  if (lease.live) return { ...lease, ended: null };
  const beat = Array.isArray(instances)
    ? instances.find((instance) => instance.instanceId === lease.holder)
    : undefined;
  const resigned =
    beat !== undefined &&
    !beat.isLeader &&
    Date.parse(beat.lastBeatAt) >= Date.parse(lease.expiresAt);
  return { ...lease, ended: resigned ? "resigned" : "lapsed" };
}

function healthOf(
  enabled: boolean,
  intervalMs: number,
  lastStartedAt: ISODateTime | null,
  lastRun: MikaLaneRunRecord | null,
  nowMs: number,
): MikaLaneHealth {
  if (!enabled) return "disabled";
  if (lastRun?.status === "skipped") return "skipped";
  if (!lastStartedAt) return "never_ran";
  if (nowMs - Date.parse(lastStartedAt) > 2 * intervalMs + OVERDUE_GRACE_MS) return "overdue";
  if (lastRun?.status === "failed" || lastRun?.status === "abandoned") return lastRun.status;
  return "ok";
}

async function backlog(
  read: () => Promise<MikaBacklogFigure>,
  nowMs: number,
): Promise<MikaBacklogStatus> {
  return attempt(async () => {
    const figure = await read();
    return {
      count: figure.count,
      oldestAt: figure.oldestAt,
      oldestAgeMs: figure.oldestAt ? Math.max(0, nowMs - Date.parse(figure.oldestAt)) : null,
    };
  });
}

async function attempt<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

function need<T>(port: T | undefined, name: string): T {
  if (!port) throw new Error(`repositories.${name} is not wired, so this cannot be read.`);
  return port;
}
