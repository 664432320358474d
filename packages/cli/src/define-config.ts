import type { MikaHostTasks, MikaStorageAdapter } from "@mika-maintenance/core";
import type { MikaCliConfig } from "./setup/config-schema.ts";

/** A `--config` module's default export: the object, or a function of the opened store. */
export type MikaCliConfigExport =
  | MikaCliConfig
  | ((context: { repositories: MikaStorageAdapter }) => MikaCliConfig | Promise<MikaCliConfig>);

/**
 * Types a `--config` module's default export: the runtime dependencies (sender, ACP store,
 * extra options) as an object, or a function of the opened store that returns one. Unknown
 * keys, lane names and limit names are compile errors (`lanes: { stockReservation }`,
 * `defaults: { emailLimt }`); the CLI rejects them at run time too.
 */
export function defineMaintenanceConfig<const H extends MikaHostTasks = []>(
  config: MikaCliConfig<H>,
): MikaCliConfig<H>;
/** The function form: called with the opened store; annotate its return for key checks. */
export function defineMaintenanceConfig<const H extends MikaHostTasks = []>(
  factory: (context: {
    repositories: MikaStorageAdapter;
  }) => MikaCliConfig<H> | Promise<MikaCliConfig<H>>,
): typeof factory;
export function defineMaintenanceConfig(config: MikaCliConfigExport): MikaCliConfigExport {
  return config;
}
