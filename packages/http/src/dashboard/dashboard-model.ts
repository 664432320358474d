import {
  MIKA_LANE_RUN_HOUR_MS,
  type MikaInstanceStatus,
  type MikaLaneHealth,
  type MikaLaneKind,
  type MikaLanePause,
  type MikaLaneRunRecord,
  type MikaMetadata,
} from "@mika-maintenance/core";
import type { MikaBacklogTrend } from "../backlog-trend.ts";
import type { MikaMaintenanceSnapshot } from "../maintenance-source.ts";

/** One UTC hour of a lane's history, from the store's hourly rollup. */
export interface MikaLaneHistoryBucket {
  startAt: string;
  passes: number;
  moved: number;
  /** Failed or abandoned passes plus items that failed inside passes. */
  failures: number;
}

/** A lane as the dashboard shows it. */
export interface MikaDashboardLane {
  lane: string;
  kind: MikaLaneKind;
  enabled: boolean;
  intervalMs: number;
  health: MikaLaneHealth;
  paused: MikaLanePause | null;
  lastStartedAt: string | null;
  lastRun: {
    startedAt: string;
    finishedAt: string;
    status: MikaLaneRunRecord["status"];
    durationMs: number;
    counters: MikaMetadata;
    error: string | null;
    instanceId: string;
  } | null;
  /** When the next scheduled pass is due; null when disabled or paused. */
  nextDueAt: string | null;
  overdue: boolean;
  /** How long past its due time the lane is (0 when on time). */
  overdueByMs: number;
  history: {
    bucketMs: number;
    buckets: MikaLaneHistoryBucket[];
    passes: number;
    moved: number;
    failures: number;
  };
}

/** One backlog row of the dashboard. */
export interface MikaDashboardBacklog {
  key: string;
  label: string;
  count: number | null;
  oldestAt: string | null;
  oldestAgeMs: number | null;
  error: string | null;
  trend: MikaBacklogTrend;
}

/** Everything the dashboard page and `GET /api/dashboard` show. */
export interface MikaDashboardModel {
  now: string;
  historyWindowMs: number;
  /** True when the hourly rollup read hit its limit, so the newest hours may be missing. */
  historyTruncated: boolean;
  lanes: MikaDashboardLane[];
  backlog: MikaDashboardBacklog[];
  leadership: {
    leaderName: string;
    leader: {
      holder: string;
      term: number;
      live: boolean;
      acquiredAt: string;
      renewedAt: string;
      expiresAt: string;
      expiresInMs: number;
    } | null;
    instances: MikaInstanceStatus[];
    staleInstances: number;
  };
  failures: MikaLaneRunRecord[];
  /** Parts that could not be read, by part. */
  errors: Record<string, string>;
  actions: { enabled: boolean };
}

const BACKLOG_LABELS: Record<string, string> = {
  dueEmails: "Due emails",
  expiredReservations: "Expired reservations still active",
  queuedAccountDeletes: "Queued account deletions",
  blockedAccountDeletes: "Blocked account deletions, 30 days",
  acpSessionsPastTtl: "ACP sessions past TTL",
};

/** Builds the dashboard model from a snapshot; `trend` turns a backlog count into a trend. */
export function buildDashboardModel(
  snapshot: MikaMaintenanceSnapshot,
  options: {
    historyMs: number;
    historyLimit?: number;
    failuresShown?: number;
    actionsEnabled: boolean;
    trend(key: string, count: number, at: number): MikaBacklogTrend;
  },
): MikaDashboardModel {
  const { status, readAtMs } = snapshot;
  const bucketMs = MIKA_LANE_RUN_HOUR_MS;
  const errors: Record<string, string> = {};
  const history = Array.isArray(snapshot.history) ? snapshot.history : [];
  if (!Array.isArray(snapshot.history)) errors.history = snapshot.history.error;
  const hours = Array.isArray(snapshot.hours) ? snapshot.hours : [];
  if (!Array.isArray(snapshot.hours)) errors.hours = snapshot.hours.error;

  // The source read the hours from `hoursSince`, the first of the buckets; the newest bucket
  // is the current hour, filling as it goes on.
  const bucketCount = Math.ceil(options.historyMs / bucketMs);
  const firstBucketStart = Date.parse(snapshot.hoursSince);

  const lanes: MikaDashboardLane[] = [];
  if (status.lanesError) errors.lanes = status.lanesError;
  for (const lane of status.lanes) {
    const buckets: MikaLaneHistoryBucket[] = Array.from({ length: bucketCount }, (_, i) => ({
      startAt: new Date(firstBucketStart + i * bucketMs).toISOString(),
      passes: 0,
      moved: 0,
      failures: 0,
    }));
    for (const hour of hours) {
      if (hour.lane !== lane.lane) continue;
      const bucket =
        buckets[Math.floor((Date.parse(hour.hourStartAt) - firstBucketStart) / bucketMs)];
      if (!bucket) continue;
      bucket.passes += hour.passes;
      bucket.moved += hour.moved;
      bucket.failures += hour.failures;
    }
    const sum = (pick: (bucket: MikaLaneHistoryBucket) => number) =>
      buckets.reduce((total, bucket) => total + pick(bucket), 0);
    const scheduled = lane.enabled && !lane.paused;
    const dueMs = lane.lastStartedAt ? Date.parse(lane.lastStartedAt) + lane.intervalMs : null;
    lanes.push({
      lane: lane.lane,
      kind: lane.kind,
      enabled: lane.enabled,
      intervalMs: lane.intervalMs,
      health: lane.health,
      paused: lane.paused ?? null,
      lastStartedAt: lane.lastStartedAt,
      lastRun: lane.lastRun
        ? {
            startedAt: lane.lastRun.startedAt,
            finishedAt: lane.lastRun.finishedAt,
            status: lane.lastRun.status,
            durationMs: lane.lastRun.durationMs,
            counters: lane.lastRun.counters,
            error: lane.lastRun.error,
            instanceId: lane.lastRun.instanceId,
          }
        : null,
      nextDueAt: scheduled ? new Date(dueMs ?? readAtMs).toISOString() : null,
      overdue: lane.health === "overdue",
      overdueByMs: scheduled && dueMs !== null ? Math.max(0, readAtMs - dueMs) : 0,
      history: {
        bucketMs,
        buckets,
        passes: sum((bucket) => bucket.passes),
        moved: sum((bucket) => bucket.moved),
        failures: sum((bucket) => bucket.failures),
      },
    });
  }

  const backlog: MikaDashboardBacklog[] = Object.entries(status.backlog).map(([key, figure]) => {
    const label = BACKLOG_LABELS[key] ?? key;
    if ("error" in figure) {
      return {
        key,
        label,
        count: null,
        oldestAt: null,
        oldestAgeMs: null,
        error: figure.error,
        trend: { direction: "unknown", delta: 0, sinceMs: 0, samples: [] },
      };
    }
    return {
      key,
      label,
      count: figure.count,
      oldestAt: figure.oldestAt,
      oldestAgeMs: figure.oldestAgeMs,
      error: null,
      trend: options.trend(key, figure.count, readAtMs),
    };
  });

  let leader: MikaDashboardModel["leadership"]["leader"] = null;
  if (status.leader && "error" in status.leader) errors.leader = status.leader.error;
  else if (status.leader) {
    const { holder, term, live, acquiredAt, renewedAt, expiresAt, expiresInMs } = status.leader;
    leader = { holder, term, live, acquiredAt, renewedAt, expiresAt, expiresInMs };
  }
  let instances: MikaInstanceStatus[] = [];
  if ("error" in status.instances) errors.instances = status.instances.error;
  else instances = status.instances;

  const failures = history
    .filter((run) => run.status === "failed" || run.status === "abandoned")
    .slice(0, options.failuresShown ?? 20);

  return {
    now: status.now,
    historyWindowMs: options.historyMs,
    historyTruncated: options.historyLimit !== undefined && hours.length >= options.historyLimit,
    lanes,
    backlog,
    leadership: {
      leaderName: status.leaderName,
      leader,
      instances,
      staleInstances: instances.filter((instance) => instance.stale).length,
    },
    failures,
    errors,
    actions: { enabled: options.actionsEnabled },
  };
}
