import {
  errorMessage,
  flattenMaintenanceSummary,
  hasFailedTask,
  type MikaMaintenanceRunner,
  type MikaMaintenanceRunOptions,
  type MikaMaintenanceRunResult,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import type { CronEvent } from "emdash/plugin";
import { MIKA_MAINTENANCE_TASK } from "./constants.ts";
import { MikaStockReservationReleaseError } from "./errors.ts";
import { type MikaScheduleContext, reconcileMaintenanceSchedule } from "./maintenance-schedule.ts";
import type { MikaEffectiveSettings } from "./maintenance-settings.ts";
import { MIKA_EMDASH_INSTANCE_ID, type MikaRunHistory, recordRun } from "./run-history.ts";

/** Per-run options the plugin passes to every sweep; `now` and `signal` are set per run. */
export type MikaPluginRunOptions = Omit<MikaMaintenanceRunOptions, "now" | "signal">;

/** What the `cron` hook needs: the runner, the settings in effect and any per-run limits. */
export interface MikaCronHandlerOptions {
  runner: Pick<MikaMaintenanceRunner, "runOnce">;
  /** Reads the settings in effect (admin values over the descriptor's) at each tick. */
  settings: (ctx: MikaScheduleContext) => Promise<MikaEffectiveSettings>;
  runOptions?: MikaPluginRunOptions;
  /** Where run summaries are kept; without it runs are only logged. */
  history?: MikaRunHistory;
}

/** What to wire so that a task stops reporting `skipped`, for the nothing-wired warning. */
const WIRING_HINT =
  "pass repositories (e.g. createLibsqlRepositories()), an emailOutboxRunner and the host api to " +
  "createPlugin() in the plugin entrypoint named by mikaPlugin({ entrypoint })";

/**
 * Builds the plugin's `cron` hook: ignores other task names; reconciles the schedule first (a
 * tick due on a schedule an admin has since changed runs nothing and moves to the new one); runs
 * one sweep at `event.scheduledAt`; keeps its summary in the store and logs it as flat fields
 * (`warn` when a task failed or nothing is wired); rethrows a `stockReservations` failure so
 * EmDash records the run as failed.
 */
export function createMaintenanceCronHandler(
  options: MikaCronHandlerOptions,
): (event: CronEvent, ctx: MikaScheduleContext) => Promise<void> {
  const { runner, runOptions, history } = options;

  return async function handleMaintenanceCron(event, ctx) {
    if (event.name !== MIKA_MAINTENANCE_TASK) return;

    const settings = await options.settings(ctx);
    for (const issue of settings.issues) {
      ctx.log.warn(`${MIKA_MAINTENANCE_TASK} ignored a saved setting: ${issue}`);
    }
    let outcome: Awaited<ReturnType<typeof reconcileMaintenanceSchedule>> | "unknown" = "unknown";
    try {
      outcome = await reconcileMaintenanceSchedule(ctx, settings);
    } catch (error) {
      ctx.log.warn(`${MIKA_MAINTENANCE_TASK} could not check its schedule`, {
        error: errorMessage(error),
      });
    }
    if (outcome === "cancelled") return;
    if (outcome === "rescheduled") {
      // This tick was due on the old schedule; the new one starts with the replaced row.
      ctx.log.info(`${MIKA_MAINTENANCE_TASK} skipped a tick of its old schedule`, {
        scheduledAt: event.scheduledAt,
        schedule: settings.schedule,
      });
      return;
    }

    let result: MikaMaintenanceRunResult;
    try {
      result = await runner.runOnce({
        ...runOptions,
        now: event.scheduledAt,
        // EmDash stops waiting at the hook timeout; from then on no new task starts either.
        signal: AbortSignal.timeout(settings.hookTimeoutMs),
      });
    } catch (error) {
      ctx.log.error(`${MIKA_MAINTENANCE_TASK} could not run`, {
        scheduledAt: event.scheduledAt,
        error: errorMessage(error),
      });
      throw error;
    }

    await finishRun(ctx, result, history, MIKA_EMDASH_INSTANCE_ID);

    if (result.stockReservations.status === "failed") {
      throw new MikaStockReservationReleaseError(result.stockReservations.error);
    }
  };
}

/** Stores and logs one finished sweep; shared by the cron hook and the admin's "run now". */
export async function finishRun(
  ctx: Pick<MikaScheduleContext, "log">,
  result: MikaMaintenanceRunResult,
  history: MikaRunHistory | undefined,
  instanceId: string,
): Promise<void> {
  if (history) {
    const error = await recordRun(history, result, instanceId);
    if (error) ctx.log.warn(`${MIKA_MAINTENANCE_TASK} could not store its run summary`, { error });
  }
  const summary = summarizeMaintenanceResult(result);
  const fields = flattenMaintenanceSummary(summary);
  const taskCount = Object.keys(summary.tasks).length;
  if (hasFailedTask(result)) {
    ctx.log.warn(
      `${MIKA_MAINTENANCE_TASK} finished with failed tasks: ${summary.failed.join(", ")}`,
      fields,
    );
  } else if (summary.notStarted.length > 0) {
    ctx.log.warn(
      `${MIKA_MAINTENANCE_TASK} stopped at its time limit; not started: ${summary.notStarted.join(", ")}`,
      fields,
    );
  } else if (taskCount > 0 && summary.skipped.length === taskCount) {
    ctx.log.warn(
      `${MIKA_MAINTENANCE_TASK} ran with nothing wired: every task was skipped. To run them, ${WIRING_HINT}.`,
      fields,
    );
  } else {
    ctx.log.info(`${MIKA_MAINTENANCE_TASK} finished`, fields);
  }
}
