import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { MikaCliConfig } from "./setup/config-schema.ts";

/**
 * Types a `--config` module's default export: the runtime dependencies (sender, ACP store,
 * extra options) as an object, or a function of the opened store that returns one.
 */
export function defineMaintenanceConfig<
  T extends
    | MikaCliConfig
    | ((context: { repositories: MikaStorageAdapter }) => MikaCliConfig | Promise<MikaCliConfig>),
>(config: T): T {
  return config;
}
