import { MIKA_PLUGIN_ID } from "./constants.ts";

/** The slice of EmDash's runtime (as given by `withEmDashRuntime`) this helper uses. */
export interface MikaEmDashRuntimeLike {
  hooks: {
    runPluginActivate(
      pluginId: string,
    ): Promise<ReadonlyArray<{ success: boolean; error?: Error | undefined }>>;
  };
}

/**
 * Makes sure `mika_maintenance` is in EmDash's cron table, for drivers that run without requests
 * (a Worker's `scheduled()` handler, a startup script). It runs the plugin's own
 * `plugin:activate` hook through EmDash's hook pipeline, which reconciles the task idempotently.
 * Resolves `false` when the plugin is not configured or an admin disabled it.
 */
export async function ensureMikaMaintenanceScheduled(
  runtime: MikaEmDashRuntimeLike,
): Promise<boolean> {
  const results = await runtime.hooks.runPluginActivate(MIKA_PLUGIN_ID);
  const failed = results.find((result) => !result.success);
  if (failed) {
    throw failed.error ?? new Error(`${MIKA_PLUGIN_ID}: plugin:activate failed`);
  }
  return results.length > 0;
}
