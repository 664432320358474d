import {
  createMikaMaintenanceRunner,
  errorMessage,
  type MikaHostTasks,
  type MikaMaintenanceHostApi,
  type MikaMaintenanceRunner,
  type MikaMaintenanceRunnerInput,
  resolveRunLimits,
} from "@mika-maintenance/core";
import { definePlugin, type ResolvedPlugin, type RouteContext } from "emdash";
import { createAdminRoute, MIKA_WIDGET_ID } from "./admin/admin-route.ts";
import { MIKA_MAINTENANCE_TASK, MIKA_PLUGIN_ID, MIKA_PLUGIN_VERSION } from "./constants.ts";
import {
  createMaintenanceCronHandler,
  type MikaPluginRunOptions,
} from "./maintenance-cron-handler.ts";
import {
  cancelMaintenanceSchedule,
  type MikaScheduleContext,
  reconcileMaintenanceSchedule,
} from "./maintenance-schedule.ts";
import { maintenanceSettingsSchema, readMaintenanceSettings } from "./maintenance-settings.ts";
import { type MikaPluginMaintenanceOptions, parseCreatePluginOptions } from "./plugin-options.ts";
import type { MikaRunHistory } from "./run-history.ts";

type RuntimeDependencies = Pick<
  MikaMaintenanceRunnerInput,
  | "acpSessionStore"
  | "cleanupExpiredAcpSessions"
  | "releaseExpiredReservations"
  | "purgeExpiredEphemeralRecords"
>;

/** The maintenance settings and runtime dependencies `createPlugin()` accepts. */
export interface MikaPluginMaintenanceRuntimeOptions
  extends MikaPluginMaintenanceOptions,
    RuntimeDependencies {
  /** Durable repositories (Postgres, libSQL, memory, or your own) for the repository-backed tasks. */
  repositories?: MikaMaintenanceRunnerInput["repositories"];
  /** Drains the email outbox; without it the `emailOutbox` task is skipped. */
  emailOutboxRunner?: MikaMaintenanceRunnerInput["emailOutboxRunner"];
  /**
   * Host-defined tasks (`defineMaintenanceTask`), run after the built-in ones in every sweep and
   * logged and summarised like them; keys are validated when the plugin is created.
   */
  tasks?: MikaHostTasks;
  /** Limits applied to every run (validated when the plugin is created). */
  runOptions?: MikaPluginRunOptions;
  /** How long EmDash waits for one run. Default 120 000 ms; EmDash's own default is 5 000 ms. */
  hookTimeoutMs?: number;
  /** Clock for runs given no `now` (cron runs always use the event's `scheduledAt`). */
  now?: () => Date;
}

/** Options of `createPlugin()`: the descriptor's settings plus the host's runtime dependencies. */
export interface MikaCreatePluginOptions extends RuntimeDependencies {
  /**
   * The host API: `api.admin.releaseExpiredReservations` releases expired stock reservations;
   * `api.admin.webhookReplay` (EmDash Mika's admin API) drives `webhookRetries`.
   */
  api?: MikaMaintenanceHostApi;
  maintenance?: MikaPluginMaintenanceRuntimeOptions;
  /** Runner to use instead of building one from the dependencies (tests, custom wiring). */
  runner?: Pick<MikaMaintenanceRunner, "runOnce">;
}

/**
 * The native EmDash entrypoint: returns the `definePlugin()` result that registers the
 * `mika_maintenance` cron task, runs the maintenance sweep on each tick, keeps run summaries,
 * and gives EmDash's admin a settings form, a Block Kit page and a dashboard widget.
 */
export function createPlugin(options: MikaCreatePluginOptions = {}): ResolvedPlugin {
  const defaults = parseCreatePluginOptions(options);
  const maintenance = options.maintenance ?? {};
  const runOptions = maintenance.runOptions;
  if (runOptions !== undefined) resolveRunLimits(runOptions);

  const runner =
    options.runner ??
    createMikaMaintenanceRunner(
      withoutUndefined({
        repositories: maintenance.repositories,
        emailOutboxRunner: maintenance.emailOutboxRunner,
        acpSessionStore: maintenance.acpSessionStore ?? options.acpSessionStore,
        cleanupExpiredAcpSessions:
          maintenance.cleanupExpiredAcpSessions ?? options.cleanupExpiredAcpSessions,
        releaseExpiredReservations:
          maintenance.releaseExpiredReservations ?? options.releaseExpiredReservations,
        purgeExpiredEphemeralRecords:
          maintenance.purgeExpiredEphemeralRecords ?? options.purgeExpiredEphemeralRecords,
        api: options.api,
        now: maintenance.now,
        tasks: maintenance.tasks,
      }),
    );

  const repositories = maintenance.repositories;
  const history: MikaRunHistory | undefined = repositories?.runtimeState;
  // Values saved in EmDash's plugin settings win over the descriptor's, which are the defaults.
  const settings = (ctx: MikaScheduleContext) => readMaintenanceSettings(ctx.kv, defaults);
  const reconcile = async (ctx: MikaScheduleContext) =>
    reconcileMaintenanceSchedule(ctx, await settings(ctx));
  const adminRoute = createAdminRoute(
    withoutUndefined({
      runner,
      settings,
      repositories,
      history,
      runOptions,
      now: maintenance.now ?? (() => new Date()),
    }),
  );

  // EmDash fires no lifecycle hook when a site starts with the plugin configured (see README),
  // so the first public page render of each runtime also makes sure the task exists.
  let firstRender: Promise<void> | null = null;
  const ensureOnFirstRender = (ctx: MikaScheduleContext): Promise<void> => {
    firstRender ??= reconcile(ctx).then(
      () => undefined,
      (error: unknown) => {
        firstRender = null;
        ctx.log.warn(`${MIKA_MAINTENANCE_TASK} could not be scheduled`, {
          error: errorMessage(error),
        });
      },
    );
    return firstRender;
  };

  return definePlugin({
    id: MIKA_PLUGIN_ID,
    version: MIKA_PLUGIN_VERSION,
    hooks: {
      "plugin:install": async (_event, ctx) => {
        await reconcile(ctx);
      },
      "plugin:activate": async (_event, ctx) => {
        await reconcile(ctx);
      },
      "plugin:deactivate": async (_event, ctx) => {
        await cancelMaintenanceSchedule(ctx);
      },
      "plugin:uninstall": async (_event, ctx) => {
        await cancelMaintenanceSchedule(ctx);
      },
      "page:metadata": async (_event, ctx) => {
        await ensureOnFirstRender(ctx);
        return null;
      },
      cron: {
        timeout: defaults.hookTimeoutMs,
        handler: createMaintenanceCronHandler(
          withoutUndefined({ runner, settings, runOptions, history }),
        ),
      },
    },
    routes: {
      // EmDash's admin posts Block Kit interactions of the page and the widget here.
      admin: { handler: (ctx: RouteContext) => adminRoute(ctx) },
    },
    admin: {
      settingsSchema: maintenanceSettingsSchema(defaults),
      pages: [{ path: "/", label: "Maintenance", icon: "gear" }],
      widgets: [{ id: MIKA_WIDGET_ID, title: "Maintenance", size: "half" }],
    },
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
