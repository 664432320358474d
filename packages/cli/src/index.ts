export { defineMaintenanceConfig } from "./define-config.ts";
export { EXIT, MikaCliInputError } from "./errors.ts";
export type { MikaCliIo } from "./io.ts";
export { processIo } from "./io.ts";
export { runCli } from "./main.ts";
export type { MikaCliConfig, MikaCliLaneConfig } from "./maintenance-config.ts";
