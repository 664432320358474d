// The seed's `src/plugins/mika-plugin.ts`, verbatim but for the package name: EmDash calls
// `createPlugin()` with the descriptor's JSON options and this module adds the runtime values.

import type { MikaCreatePluginOptions } from "@mika-maintenance/emdash";
import { createPlugin as createMikaPlugin } from "@mika-maintenance/emdash";
import { api, emailOutboxRunner, repositories } from "../lib/mika-api";
export function createPlugin(options: MikaCreatePluginOptions = {}) {
  const maintenance = options.maintenance ?? {};
  return createMikaPlugin({
    ...options,
    api,
    maintenance: { ...maintenance, repositories, emailOutboxRunner },
  });
}
