import {
  describeMaintenanceStatus,
  errorMessage,
  type MikaLaneRunRecord,
  type MikaMaintenanceStatus,
  type MikaRepositories,
} from "@mika-maintenance/core";
import { MIKA_MAINTENANCE_TASK } from "../constants.ts";
import type { MikaScheduleContext } from "../maintenance-schedule.ts";
import type { MikaEffectiveSettings } from "../maintenance-settings.ts";
import {
  groupRuns,
  MIKA_RUN_HISTORY_PER_TASK,
  type MikaRecordedRun,
  type MikaRunHistory,
} from "../run-history.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Everything the admin page and widget show, read in one go. */
export interface MikaMaintenanceOverview {
  now: string;
  settings: MikaEffectiveSettings;
  /** The cron row: its schedule and next run, `null` when not scheduled, or why it is unknown. */
  task:
    | { schedule: string; nextRunAt: string; lastRunAt: string | null }
    | null
    | { error: string };
  /** Newest first; `null` when the repositories keep no run history. */
  runs: MikaRecordedRun[] | null | { error: string };
  /** Task runs that failed in the last 24 hours (of the kept history). */
  failuresLast24h: number | null;
  backlog: MikaMaintenanceStatus["backlog"];
  /** Tasks the host wired, by whether the last run skipped them. */
  wired: boolean;
}

/** Reads the overview: settings, the cron row, kept runs, failures in 24 h and the backlogs. */
export async function readMaintenanceOverview(input: {
  ctx: MikaScheduleContext;
  settings: MikaEffectiveSettings;
  repositories: Partial<MikaRepositories> | undefined;
  history: MikaRunHistory | undefined;
  now: Date;
  runLimit?: number;
}): Promise<MikaMaintenanceOverview> {
  const { ctx, settings, history } = input;
  const now = input.now.toISOString();
  const [task, records, status] = await Promise.all([
    attempt(async () => {
      if (!ctx.cron) throw new Error("this EmDash context has no cron access");
      const row = (await ctx.cron.list()).find((entry) => entry.name === MIKA_MAINTENANCE_TASK);
      return row
        ? { schedule: row.schedule, nextRunAt: row.nextRunAt, lastRunAt: row.lastRunAt }
        : null;
    }),
    history
      ? attempt(() => history.listLaneRuns({ perLane: MIKA_RUN_HISTORY_PER_TASK }))
      : Promise.resolve(null),
    describeMaintenanceStatus({ repositories: input.repositories ?? {}, now }),
  ]);
  const runs =
    records && !("error" in records) ? groupRuns(records, input.runLimit ?? 10) : records;
  const since = Date.parse(now) - DAY_MS;
  const failuresLast24h =
    records && !("error" in records)
      ? records.filter(
          (record: MikaLaneRunRecord) =>
            record.status === "failed" && Date.parse(record.startedAt) >= since,
        ).length
      : null;
  const latest = Array.isArray(runs) ? runs[0] : undefined;
  return {
    now,
    settings,
    task,
    runs,
    failuresLast24h,
    backlog: status.backlog,
    wired: latest ? latest.tasks.some((record) => record.status !== "skipped") : true,
  };
}

async function attempt<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (error) {
    return { error: errorMessage(error) };
  }
}
