export { ensureMikaMaintenanceScheduled, type MikaEmDashRuntimeLike } from "./ensure-scheduled.ts";
export * from "./index.ts";
export {
  createMaintenanceCronHandler,
  type MikaCronHandlerOptions,
  type MikaPluginRunOptions,
} from "./maintenance-cron-handler.ts";
export {
  cancelMaintenanceSchedule,
  type MikaScheduleContext,
  type MikaScheduleOutcome,
  reconcileMaintenanceSchedule,
} from "./maintenance-schedule.ts";
