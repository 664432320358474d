// The EmDash plugin entrypoint named in astro.config.mjs. EmDash calls `createPlugin()` with
// the descriptor's serializable options; this module adds the runtime dependencies.
import {
  createPlugin as createMikaPlugin,
  type MikaCreatePluginOptions,
} from "@mika-maintenance/emdash/runtime";
import { repositories } from "../lib/mika-repositories.ts";

/** EmDash's native entrypoint: the mika plugin with this site's repositories. */
export function createPlugin(options: MikaCreatePluginOptions = {}) {
  return createMikaPlugin({
    ...options,
    maintenance: {
      ...options.maintenance,
      repositories,
      // Add `emailOutboxRunner: createMikaEmailOutboxRunner({ repositories, sender })` from
      // @mika-maintenance/core once the site sends email; until then that task is skipped.
    },
  });
}
