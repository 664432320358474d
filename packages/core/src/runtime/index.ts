export * from "./create-maintenance-runtime.ts";
export * from "./describe-maintenance-status.ts";
export * from "./json-line-logger.ts";
export * from "./lane-defaults.ts";
export * from "./manual-scheduler.ts";
export * from "./runtime-events.ts";
export * from "./runtime-input.ts";
export * from "./scheduler.ts";
export type { MikaTickLaneOutcome, MikaTickLaneReport, MikaTickReport } from "./tick.ts";
