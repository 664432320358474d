import { ensureMikaMaintenanceScheduled } from "@mika-maintenance/emdash/runtime";
import { runScheduledTasks, withEmDashRuntime } from "emdash/middleware";
import { migrateMaintenanceStoreOnce } from "./maintenance-store.ts";

/** The parts of Cloudflare's `ScheduledController` this handler reads. */
export interface ScheduledControllerLike {
  cron: string;
  scheduledTime: number;
}

/** The parts of Cloudflare's `ExecutionContext` this handler uses. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The Worker's `scheduled()` handler. A production Cloudflare build of EmDash has no in-process
 * timer, so nothing runs EmDash's cron table unless this handler does, on a Cron Trigger.
 */
export async function scheduled(
  controller: ScheduledControllerLike,
  _env: unknown,
  _ctx: ExecutionContextLike,
): Promise<void> {
  // EmDash runs each due row at the row's own scheduled time (`mika_maintenance` uses it as
  // `now`); on a matching schedule that is the minute this trigger was scheduled for.
  console.log(
    `[scheduled] Cron Trigger "${controller.cron}" for ${new Date(controller.scheduledTime).toISOString()}`,
  );
  // The maintenance store's tables in MIKA_DB, before anything reads them: applied by the first
  // trigger after a deploy, a recorded no-op after that.
  await migrateMaintenanceStoreOnce();
  // EmDash fires no plugin lifecycle hook when a deployed site starts, so make sure the
  // `mika_maintenance` row exists. Idempotent: an existing row with the right schedule is left
  // alone; a row for a plugin an admin disabled is not created.
  await withEmDashRuntime((runtime) => ensureMikaMaintenanceScheduled(runtime));
  // Claims every due row of EmDash's cron table (mika_maintenance among them) and invokes the
  // plugins' cron hooks, then runs scheduled publishing and EmDash's own cleanup.
  await runScheduledTasks();
}
