import {
  errorMessage,
  MIKA_MAINTENANCE_TASKS,
  type MikaLaneRunRecord,
  type MikaMaintenanceRunResult,
  type MikaRuntimeStatePort,
  recordMaintenanceRun,
} from "@mika-maintenance/core";

/** The instance id run summaries carry when EmDash's cron (or the admin) ran the sweep. */
export const MIKA_EMDASH_INSTANCE_ID = "emdash";

/** Runs kept per task; older summaries are deleted after each run. */
export const MIKA_RUN_HISTORY_PER_TASK = 200;

/** The history port, when the host's repositories have one. */
export type MikaRunHistory = Pick<
  MikaRuntimeStatePort,
  "recordLaneRun" | "listLaneRuns" | "pruneLaneRuns"
>;

/** One sweep as the admin page shows it: when, which trigger, and each task's record. */
export interface MikaRecordedRun {
  startedAt: string;
  instanceId: string;
  durationMs: number;
  failed: number;
  tasks: MikaLaneRunRecord[];
}

/**
 * Stores a sweep's summary (one record per task: status, counters, duration, error) in the
 * host's store and keeps only the newest `MIKA_RUN_HISTORY_PER_TASK` per task. Returns an error
 * message instead of throwing: a history write must never fail the run.
 */
export async function recordRun(
  history: MikaRunHistory,
  result: MikaMaintenanceRunResult,
  instanceId: string = MIKA_EMDASH_INSTANCE_ID,
): Promise<string | null> {
  try {
    await recordMaintenanceRun(history, result, { instanceId });
    await history.pruneLaneRuns({ keepPerLane: MIKA_RUN_HISTORY_PER_TASK });
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

/** Groups lane records into sweeps, newest first (a sweep's records share start and instance). */
export function groupRuns(records: readonly MikaLaneRunRecord[], limit: number): MikaRecordedRun[] {
  const runs = new Map<string, MikaRecordedRun>();
  for (const record of records) {
    const key = `${record.startedAt}|${record.instanceId}`;
    let run = runs.get(key);
    if (!run) {
      run = {
        startedAt: record.startedAt,
        instanceId: record.instanceId,
        durationMs: 0,
        failed: 0,
        tasks: [],
      };
      runs.set(key, run);
    }
    run.tasks.push(record);
    run.durationMs += record.durationMs;
    if (record.status === "failed") run.failed += 1;
  }
  const order = new Map<string, number>(
    MIKA_MAINTENANCE_TASKS.map((task, index) => [task.key, index]),
  );
  const rank = (lane: string) => order.get(lane) ?? order.size;
  for (const run of runs.values()) run.tasks.sort((a, b) => rank(a.lane) - rank(b.lane));
  return [...runs.values()]
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
    .slice(0, limit);
}
