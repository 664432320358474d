export {
  MIKA_DEFAULT_HOOK_TIMEOUT_MS,
  MIKA_DEFAULT_SCHEDULE,
  MIKA_MAINTENANCE_TASK,
  MIKA_MAX_HOOK_TIMEOUT_MS,
  MIKA_PLUGIN_ID,
  MIKA_PLUGIN_VERSION,
  MIKA_RUNTIME_ENTRYPOINT,
} from "./constants.ts";
export {
  createPlugin,
  type MikaCreatePluginOptions,
  type MikaPluginMaintenanceRuntimeOptions,
} from "./create-plugin.ts";
export { isValidCronExpression } from "./cron-expression.ts";
export {
  type MikaPluginDescriptorOptions,
  type MikaPluginOptions,
  mikaPlugin,
} from "./descriptor.ts";
export {
  MikaPluginOptionsError,
  type MikaPluginOptionsIssue,
  MikaStockReservationReleaseError,
} from "./errors.ts";
export type { MikaPluginMaintenanceOptions } from "./plugin-options.ts";
