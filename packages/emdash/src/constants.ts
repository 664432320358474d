import packageJson from "../package.json" with { type: "json" };

/** The EmDash plugin id; cron rows in `_emdash_cron_tasks` carry it as `plugin_id`. */
export const MIKA_PLUGIN_ID = "mika-maintenance";

/** The plugin version EmDash records, kept in step with this package's version. */
export const MIKA_PLUGIN_VERSION: string = packageJson.version;

/** The cron task name the plugin schedules and answers to. */
export const MIKA_MAINTENANCE_TASK = "mika_maintenance";

/** The schedule used when `maintenance.schedule` is not set: every minute. */
export const MIKA_DEFAULT_SCHEDULE = "* * * * *";

/** The module EmDash imports `createPlugin` from when the descriptor names no other. */
export const MIKA_RUNTIME_ENTRYPOINT = "@mika-maintenance/emdash/runtime";

/**
 * How long EmDash waits for one `mika_maintenance` run before it records the run as failed.
 * EmDash's own default hook timeout is 5 s, too short for a sweep that drains emails.
 */
export const MIKA_DEFAULT_HOOK_TIMEOUT_MS = 120_000;

/**
 * The longest hook timeout accepted. EmDash treats a task still `running` after 10 minutes as
 * crashed and releases its lock, so a run must give up well before that.
 */
export const MIKA_MAX_HOOK_TIMEOUT_MS = 540_000;
