import {
  errorMessage,
  type MikaMaintenanceRunner,
  type MikaRepositories,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { MIKA_MAINTENANCE_TASK } from "../constants.ts";
import { finishRun, type MikaPluginRunOptions } from "../maintenance-cron-handler.ts";
import { type MikaScheduleContext, reconcileMaintenanceSchedule } from "../maintenance-schedule.ts";
import type { MikaEffectiveSettings } from "../maintenance-settings.ts";
import type { MikaRunHistory } from "../run-history.ts";
import type { MikaBlockInteraction, MikaBlockResponse } from "./blocks.ts";
import { readMaintenanceOverview } from "./maintenance-overview.ts";
import {
  RUN_NOW_ACTION,
  renderMaintenancePage,
  renderMaintenanceWidget,
} from "./render-overview.ts";

/** The dashboard widget's id (EmDash asks for page `widget:<id>`). */
export const MIKA_WIDGET_ID = "maintenance";

/** The instance id of runs started from the admin's "Run now". */
export const MIKA_ADMIN_INSTANCE_ID = "emdash-admin";

/** What the admin route needs from the plugin. */
export interface MikaAdminRouteOptions {
  runner: Pick<MikaMaintenanceRunner, "runOnce">;
  settings: (ctx: MikaScheduleContext) => Promise<MikaEffectiveSettings>;
  repositories: Partial<MikaRepositories> | undefined;
  history: MikaRunHistory | undefined;
  runOptions?: MikaPluginRunOptions;
  now: () => Date;
}

/**
 * Answers EmDash's Block Kit interactions on `/_emdash/api/plugins/mika-maintenance/admin`:
 * `page_load` of the admin page or the widget reconciles the schedule (so a saved setting takes
 * effect) and renders the overview; the "Run now" action runs one sweep, keeps and logs its
 * summary like a cron run, and answers with the new overview and a toast.
 */
export function createAdminRoute(options: MikaAdminRouteOptions) {
  return async (ctx: MikaScheduleContext & { input: unknown }): Promise<MikaBlockResponse> => {
    const interaction = parseInteraction(ctx.input);
    const settings = await options.settings(ctx);
    try {
      await reconcileMaintenanceSchedule(ctx, settings);
    } catch (error) {
      ctx.log.warn(`${MIKA_MAINTENANCE_TASK} could not check its schedule`, {
        error: errorMessage(error),
      });
    }

    let toast: MikaBlockResponse["toast"];
    if (interaction.type === "block_action" && interaction.action_id === RUN_NOW_ACTION) {
      toast = await runNow(ctx, options, settings);
    }

    const overview = await readMaintenanceOverview({
      ctx,
      settings,
      repositories: options.repositories,
      history: options.history,
      now: options.now(),
    });
    const page = interaction.type === "page_load" ? interaction.page : "/";
    const blocks = page.startsWith("widget:")
      ? renderMaintenanceWidget(overview)
      : renderMaintenancePage(overview);
    return toast ? { blocks, toast } : { blocks };
  };
}

async function runNow(
  ctx: MikaScheduleContext,
  options: MikaAdminRouteOptions,
  settings: MikaEffectiveSettings,
): Promise<NonNullable<MikaBlockResponse["toast"]>> {
  try {
    const result = await options.runner.runOnce({
      ...options.runOptions,
      now: options.now().toISOString(),
      signal: AbortSignal.timeout(settings.hookTimeoutMs),
    });
    await finishRun(ctx, result, options.history, MIKA_ADMIN_INSTANCE_ID);
    const summary = summarizeMaintenanceResult(result);
    const total = Object.keys(summary.tasks).length;
    const completed = total - summary.failed.length - summary.skipped.length;
    return {
      type: summary.ok ? "success" : "error",
      message: `Ran one sweep: ${completed} completed, ${summary.failed.length} failed${
        summary.failed.length > 0 ? ` (${summary.failed.join(", ")})` : ""
      }, ${summary.skipped.length} skipped.`,
    };
  } catch (error) {
    return { type: "error", message: `The sweep could not run: ${errorMessage(error)}` };
  }
}

function parseInteraction(input: unknown): MikaBlockInteraction {
  if (typeof input === "object" && input !== null) {
    const value = input as Record<string, unknown>;
    if (value.type === "page_load" && typeof value.page === "string") {
      return { type: "page_load", page: value.page };
    }
    if (value.type === "block_action" && typeof value.action_id === "string") {
      return { type: "block_action", action_id: value.action_id, value: value.value };
    }
    if (value.type === "form_submit" && typeof value.action_id === "string") {
      return {
        type: "form_submit",
        action_id: value.action_id,
        values: (value.values as Record<string, unknown>) ?? {},
      };
    }
  }
  return { type: "page_load", page: "/" };
}
