import { MikaMaintenanceError } from "@mika-maintenance/core";

/** One invalid field of the plugin options, with its dotted path. */
export interface MikaPluginOptionsIssue {
  path: string;
  message: string;
}

/** Invalid options given to `mikaPlugin()` or `createPlugin()`; `issues` names every bad field. */
export class MikaPluginOptionsError extends MikaMaintenanceError {
  readonly issues: readonly MikaPluginOptionsIssue[];

  constructor(source: "mikaPlugin" | "createPlugin", issues: readonly MikaPluginOptionsIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`);
    super("MIKA_PLUGIN_INVALID_OPTIONS", `Invalid ${source}() options:\n${lines.join("\n")}`);
    this.name = "MikaPluginOptionsError";
    this.issues = issues;
  }
}

/**
 * Thrown by the `mika_maintenance` cron hook, after logging the summary, when the
 * `stockReservations` task failed, so EmDash's scheduler records the run as failed.
 */
export class MikaStockReservationReleaseError extends MikaMaintenanceError {
  constructor(taskError: string) {
    super(
      "MIKA_STOCK_RESERVATION_RELEASE_FAILED",
      `mika_maintenance could not release expired stock reservations: ${taskError}. ` +
        "Reserved stock stays unavailable until a later run succeeds; check the stock " +
        "repository or the host's releaseExpiredReservations dependency.",
    );
    this.name = "MikaStockReservationReleaseError";
  }
}
