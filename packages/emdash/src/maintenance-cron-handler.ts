import {
  errorMessage,
  hasFailedTask,
  type MikaMaintenanceRunner,
  type MikaMaintenanceRunOptions,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import type { CronEvent } from "emdash/plugin";
import { MIKA_MAINTENANCE_TASK } from "./constants.ts";
import { MikaStockReservationReleaseError } from "./errors.ts";
import {
  cancelMaintenanceSchedule,
  type MikaScheduleContext,
  reconcileMaintenanceSchedule,
} from "./maintenance-schedule.ts";
import type { MikaResolvedMaintenanceSettings } from "./plugin-options.ts";

/** Per-run options the plugin passes to every sweep; `now` and `signal` are set per run. */
export type MikaPluginRunOptions = Omit<MikaMaintenanceRunOptions, "now" | "signal">;

/** What the `cron` hook needs: the runner, the settings and any per-run limits. */
export interface MikaCronHandlerOptions {
  runner: Pick<MikaMaintenanceRunner, "runOnce">;
  settings: MikaResolvedMaintenanceSettings;
  runOptions?: MikaPluginRunOptions;
}

/**
 * Builds the plugin's `cron` hook: ignores other task names, runs one sweep at
 * `event.scheduledAt`, logs the summary (`warn` when a task failed, else `info`) and rethrows a
 * `stockReservations` failure after logging so EmDash records the run as failed.
 */
export function createMaintenanceCronHandler(
  options: MikaCronHandlerOptions,
): (event: CronEvent, ctx: MikaScheduleContext) => Promise<void> {
  const { runner, settings, runOptions } = options;

  return async function handleMaintenanceCron(event, ctx) {
    if (event.name !== MIKA_MAINTENANCE_TASK) return;

    if (!settings.enabled) {
      // A row left over from before maintenance was disabled: remove it instead of running.
      await cancelMaintenanceSchedule(ctx);
      return;
    }

    let result: Awaited<ReturnType<MikaMaintenanceRunner["runOnce"]>>;
    try {
      result = await runner.runOnce({
        ...runOptions,
        now: event.scheduledAt,
        // EmDash stops waiting at the hook timeout; stop the sweep at its next batch boundary too.
        signal: AbortSignal.timeout(settings.hookTimeoutMs),
      });
    } catch (error) {
      ctx.log.error(`${MIKA_MAINTENANCE_TASK} could not run`, {
        scheduledAt: event.scheduledAt,
        error: errorMessage(error),
      });
      throw error;
    }

    const summary = summarizeMaintenanceResult(result);
    if (hasFailedTask(result)) {
      ctx.log.warn(
        `${MIKA_MAINTENANCE_TASK} finished with failed tasks: ${summary.failed.join(", ")}`,
        summary,
      );
    } else {
      ctx.log.info(`${MIKA_MAINTENANCE_TASK} finished`, summary);
    }

    try {
      // Picks up a schedule changed in astro.config since the task was first registered.
      await reconcileMaintenanceSchedule(ctx, settings);
    } catch (error) {
      ctx.log.warn(`${MIKA_MAINTENANCE_TASK} could not check its schedule`, {
        error: errorMessage(error),
      });
    }

    if (result.stockReservations.status === "failed") {
      throw new MikaStockReservationReleaseError(result.stockReservations.error);
    }
  };
}
