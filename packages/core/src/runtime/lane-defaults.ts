import type { MikaMaintenanceTaskKey } from "../runner/results.ts";
import type { MikaMaintenanceTask } from "../runner/task.ts";
import { MIKA_MAINTENANCE_TASKS } from "../tasks/registry.ts";

/**
 * `user-visible` lanes move state a shopper or agent is waiting on (held stock, mail, open
 * checkouts); `hygiene` lanes tidy up and may run late without anyone noticing.
 */
export type MikaLaneKind = "user-visible" | "hygiene";

/**
 * Where a lane runs in `run()`. `leader` lanes (releases, reclaims, purges, erasure) run on the
 * leader only, which avoids wasted work. `every-replica` lanes (the email outbox) run on every
 * process: their work is claimed row by row (`claimDueEmails`), so replicas share it and the
 * lane scales with them.
 */
export type MikaLaneRunsOn = "leader" | "every-replica";

/** How one lane is scheduled. */
export interface MikaLaneSettings {
  kind: MikaLaneKind;
  runsOn: MikaLaneRunsOn;
  /** Time between the starts of two passes. */
  intervalMs: number;
  /** A pass still running after this long is aborted and recorded `abandoned`. */
  timeoutMs: number;
  /** A disabled lane never runs (neither in `run()` nor in `tick()`). */
  enabled: boolean;
}

/** A lane as the runtime runs it: its task key plus its settings. */
export interface MikaResolvedLane extends MikaLaneSettings {
  /** A built-in task key or a host task's key. */
  lane: MikaMaintenanceTaskKey | (string & {});
}

/** The settings a task's declared lane resolves to (`runsOn` leader, 60 s timeout unless given). */
export function laneSettingsOf(task: Pick<MikaMaintenanceTask, "lane">): MikaLaneSettings {
  return {
    kind: task.lane.kind,
    runsOn: task.lane.runsOn ?? "leader",
    intervalMs: task.lane.intervalMs,
    timeoutMs: task.lane.timeoutMs ?? 60_000,
    enabled: true,
  };
}

/**
 * Default lane schedule, from each task's declared lane. User-visible lanes run every 5 s;
 * hygiene lanes every minute, the raw-payload purge every 5 minutes. A pass that reports
 * `hasMore` runs again after `hasMoreDelayMs` (with jitter) whatever its interval.
 */
export const MIKA_DEFAULT_LANES: Readonly<Record<MikaMaintenanceTaskKey, MikaLaneSettings>> =
  Object.fromEntries(
    MIKA_MAINTENANCE_TASKS.map((task) => [task.key, laneSettingsOf(task)]),
  ) as Record<MikaMaintenanceTaskKey, MikaLaneSettings>;

/** Runtime-wide defaults (leadership, liveness, retention, shutdown). */
export const MIKA_RUNTIME_DEFAULTS = {
  leaderName: "mika-maintenance",
  leaseTtlMs: 30_000,
  /** A third of the TTL: two renewals can fail before the lease could run out. */
  renewEveryMs: 10_000,
  heartbeatMs: 10_000,
  /** Base delay before a `hasMore` pass runs again; the actual delay is 0.5×–1.5× this. */
  hasMoreDelayMs: 250,
  shutdownGraceMs: 10_000,
  tickBudgetMs: 25_000,
  keepRunsPerLane: 100,
  heartbeatRetentionMs: 86_400_000,
  pruneEveryMs: 60_000,
} as const;
