import { withEmDashRuntime } from "emdash/middleware";
import { MIKA_MAINTENANCE_TASK } from "./constants.ts";
import { ensureMikaMaintenanceScheduled } from "./ensure-scheduled.ts";

/** What starting maintenance with the server did, for the one line it logs. */
export type MikaServerStartOutcome =
  | { status: "scheduled"; elapsedMs: number }
  | { status: "not-configured"; elapsedMs: number }
  | { status: "failed"; elapsedMs: number; error: string };

/**
 * Starts EmDash's runtime as the server starts, with no request: the runtime starts its cron
 * timer (`NodeCronScheduler`), and the plugin's `plugin:activate` hook puts `mika_maintenance`
 * into the cron table. Never throws; a failure is logged and the first request retries as usual.
 */
export async function startMikaMaintenanceWithServer(
  log: Pick<Console, "info" | "warn"> = console,
): Promise<MikaServerStartOutcome> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  try {
    const configured = await withEmDashRuntime((runtime) =>
      ensureMikaMaintenanceScheduled(runtime),
    );
    const outcome: MikaServerStartOutcome = configured
      ? { status: "scheduled", elapsedMs: elapsedMs() }
      : { status: "not-configured", elapsedMs: elapsedMs() };
    log.info(
      configured
        ? `[mika-maintenance] ${MIKA_MAINTENANCE_TASK} checked at server start; EmDash's cron timer is running`
        : "[mika-maintenance] the plugin is not active in EmDash, so nothing was scheduled at server start",
    );
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn(
      `[mika-maintenance] could not start EmDash's runtime at server start (${message}); ` +
        "the first request will start it",
    );
    return { status: "failed", elapsedMs: elapsedMs(), error: message };
  }
}
