export { defineMaintenanceConfig } from "./define-config.ts";
export { EXIT, MikaCliInputError } from "./errors.ts";
export type { MikaCliIo } from "./io.ts";
export { processIo } from "./io.ts";
export { runCli } from "./main.ts";
export type { MikaCliConfig } from "./setup/config-schema.ts";
export { cliConfigSchema } from "./setup/config-schema.ts";
