import type { MikaRepositories } from "@mika-maintenance/core";
import { libsql } from "emdash/db";
import type { MikaPluginMaintenanceOptions } from "../../src/plugin-options.ts";
import { createPlugin, mikaPlugin } from "../../src/runtime.ts";
import { createScratchDirectory } from "./emdash-database.ts";
import { EMDASH_TEST_CONFIG_KEY, EMDASH_TEST_PLUGINS_KEY } from "./emdash-virtual-modules.ts";
import { type RecordedHookCall, recordHookCalls } from "./record-hooks.ts";

/** A site configured the way `astro.config.mjs` would configure it, ready to start. */
export interface EmDashTestSite {
  /** `emdash/middleware`, loaded after the site's virtual modules were set up. */
  middleware: typeof import("emdash/middleware");
  /** Every hook EmDash invoked on the plugin, in order. */
  calls: RecordedHookCall[];
  databaseFile: string;
  cleanup(): void;
}

/**
 * Configures a fresh EmDash site on a new SQLite file with `mikaPlugin()` in its plugin list
 * and a host entrypoint that hands `repositories` to `createPlugin()`, then loads
 * `emdash/middleware`. The runtime itself starts on the first `withEmDashRuntime()` or
 * `runScheduledTasks()` call, as it does on the first request or Cron Trigger.
 */
export async function configureEmDashSite(input: {
  repositories: Partial<MikaRepositories>;
  maintenance?: MikaPluginMaintenanceOptions;
}): Promise<EmDashTestSite> {
  const scratch = createScratchDirectory("mika-emdash-site-");
  const databaseFile = `${scratch.path}/site.db`;
  const descriptor = mikaPlugin(input.maintenance ? { maintenance: input.maintenance } : {});

  // The host's plugin entrypoint (src/plugins/mika-plugin.ts in examples/emdash-site).
  const hostCreatePlugin = (options: Parameters<typeof createPlugin>[0] = {}) =>
    createPlugin({
      ...options,
      maintenance: { ...options.maintenance, repositories: input.repositories },
    });

  // What EmDash's generated `virtual:emdash/plugins` does with a native descriptor:
  // `createPlugin(<descriptor.options as JSON>)`.
  const calls: RecordedHookCall[] = [];
  const plugin = recordHookCalls(
    hostCreatePlugin(JSON.parse(JSON.stringify(descriptor.options ?? {}))),
    calls,
  );

  const globals = globalThis as Record<symbol, unknown>;
  globals[Symbol.for(EMDASH_TEST_CONFIG_KEY)] = {
    database: libsql({ url: `file:${databaseFile}` }),
  };
  globals[Symbol.for(EMDASH_TEST_PLUGINS_KEY)] = [plugin];

  const middleware = await import("emdash/middleware");
  return { middleware, calls, databaseFile, cleanup: scratch.cleanup };
}

/** A public page context, as EmDashHead passes it to `page:metadata` hooks. */
export const HOME_PAGE = {
  url: "https://shop.example/",
  path: "/",
  locale: null,
  kind: "custom",
  pageType: "website",
  title: "Shop",
  description: null,
  canonical: null,
  image: null,
} as const;
