import type { PluginDescriptor } from "emdash";
import { MIKA_PLUGIN_ID, MIKA_PLUGIN_VERSION, MIKA_RUNTIME_ENTRYPOINT } from "./constants.ts";
import { type MikaPluginMaintenanceOptions, parseDescriptorOptions } from "./plugin-options.ts";
import { runtimeValuesWarning, separateRuntimeValues } from "./runtime-values.ts";

/** Options of `mikaPlugin()`: serializable settings only. */
export interface MikaPluginOptions {
  /**
   * Module EmDash imports `createPlugin` from at runtime. Default
   * `@mika-maintenance/emdash/runtime`, which runs with no repositories (every task skipped).
   * Point it at your own server-only module that calls this package's `createPlugin` with your
   * repositories, email runner and API. Use an absolute path or a package specifier: EmDash
   * imports it from a generated module, so relative paths do not resolve.
   */
  entrypoint?: string;
  maintenance?: MikaPluginMaintenanceOptions & Record<string, unknown>;
  /**
   * Accepted so the upstream snippet `mikaPlugin({ api, maintenance })` works as written, but
   * never serialized: it is left out with one warning, and belongs in `createPlugin()`.
   */
  api?: unknown;
}

/**
 * The options EmDash passes to `createPlugin()`: the descriptor's serializable settings. A type
 * alias, not an interface, so the descriptor fits EmDash's `plugins: PluginDescriptor[]`.
 */
export type MikaPluginDescriptorOptions = {
  maintenance?: MikaPluginMaintenanceOptions;
};

/**
 * The EmDash plugin descriptor for `astro.config.mjs` (native format). Validates the
 * serializable options; runtime values (`api`, `repositories`, runners) are left out with one
 * warning naming them, since they belong in `createPlugin()` in the plugin entrypoint.
 */
export function mikaPlugin(
  options: MikaPluginOptions = {},
  warn: (message: string) => void = console.warn,
): PluginDescriptor<MikaPluginDescriptorOptions> {
  const { serializable, runtimeValues } = separateRuntimeValues(options);
  const parsed = parseDescriptorOptions(serializable);
  if (runtimeValues.length > 0) {
    warn(runtimeValuesWarning(runtimeValues, parsed.entrypoint ?? MIKA_RUNTIME_ENTRYPOINT));
  }
  const descriptorOptions: MikaPluginDescriptorOptions = {};
  if (parsed.maintenance !== undefined) {
    const maintenance: MikaPluginMaintenanceOptions = {};
    if (parsed.maintenance.enabled !== undefined) maintenance.enabled = parsed.maintenance.enabled;
    if (parsed.maintenance.schedule !== undefined) {
      maintenance.schedule = parsed.maintenance.schedule;
    }
    descriptorOptions.maintenance = maintenance;
  }
  return {
    id: MIKA_PLUGIN_ID,
    version: MIKA_PLUGIN_VERSION,
    format: "native",
    entrypoint: parsed.entrypoint ?? MIKA_RUNTIME_ENTRYPOINT,
    options: descriptorOptions,
  };
}
