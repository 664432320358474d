import type { KVAccess, PluginContext } from "emdash";
import { MIKA_MAINTENANCE_TASK } from "./constants.ts";

/** The slice of EmDash's plugin context the scheduling code uses (`kv` holds admin settings). */
export type MikaScheduleContext = Pick<PluginContext, "cron" | "log"> & {
  kv?: Pick<KVAccess, "get" | "set">;
};

/** What reconciling the task did: nothing to do, (re)scheduled, cancelled, or no cron access. */
export type MikaScheduleOutcome =
  | "unchanged"
  | "scheduled"
  | "rescheduled"
  | "cancelled"
  | "no-cron";

/**
 * Brings EmDash's cron table in line with the settings, idempotently: schedules
 * `mika_maintenance` when it is missing, reschedules it when its schedule differs, and cancels
 * it when maintenance is disabled. An existing row with the right schedule is left alone, so
 * calling this often never pushes the next run back.
 */
export async function reconcileMaintenanceSchedule(
  ctx: MikaScheduleContext,
  settings: { enabled: boolean; schedule: string },
): Promise<MikaScheduleOutcome> {
  const { cron } = ctx;
  if (!cron) {
    ctx.log.warn(
      `${MIKA_MAINTENANCE_TASK} was not scheduled: this EmDash context has no cron access ` +
        "(ctx.cron is only wired by EmDash's runtime, not by a bare PluginManager).",
    );
    return "no-cron";
  }
  const existing = (await cron.list()).find((task) => task.name === MIKA_MAINTENANCE_TASK);
  if (!settings.enabled) {
    // list() only shows enabled rows; cancel() also deletes a disabled one.
    await cron.cancel(MIKA_MAINTENANCE_TASK);
    if (existing) ctx.log.info(`${MIKA_MAINTENANCE_TASK} cancelled (maintenance.enabled is false)`);
    return "cancelled";
  }
  if (existing?.schedule === settings.schedule) return "unchanged";
  // A new row, not an update: EmDash's executor finishes a run by writing `next_run_at` from the
  // schedule it claimed into the row with the claimed id. Replacing the row makes that write miss,
  // so a schedule changed during a run takes effect at once instead of after one more old run.
  if (existing) await cron.cancel(MIKA_MAINTENANCE_TASK);
  await cron.schedule(MIKA_MAINTENANCE_TASK, { schedule: settings.schedule });
  ctx.log.info(`${MIKA_MAINTENANCE_TASK} scheduled`, {
    schedule: settings.schedule,
    previousSchedule: existing?.schedule ?? null,
  });
  return existing ? "rescheduled" : "scheduled";
}

/** Removes the `mika_maintenance` task from EmDash's cron table (deactivate, uninstall). */
export async function cancelMaintenanceSchedule(ctx: MikaScheduleContext): Promise<void> {
  if (!ctx.cron) return;
  await ctx.cron.cancel(MIKA_MAINTENANCE_TASK);
  ctx.log.info(`${MIKA_MAINTENANCE_TASK} cancelled`);
}
