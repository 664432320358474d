// EmDash calls `createPlugin()` with the descriptor's JSON options; this module adds the
// runtime values. It is the one place that says where the maintenance store lives.
import {
  createPlugin as createMikaPlugin,
  type MikaCreatePluginOptions,
} from "@mika-maintenance/emdash";
import { createMemoryRepositories } from "@mika-maintenance/memory";

// The store: the memory adapter until the D1 adapter (@mika-maintenance/d1) is released; then
// it is built from the `MIKA_DB` binding that wrangler.jsonc already declares (see README.md).
// Memory lives as long as the isolate, so on a deployed Worker every isolate starts empty.
const repositories = createMemoryRepositories();

export function createPlugin(options: MikaCreatePluginOptions = {}) {
  const maintenance = options.maintenance ?? {};
  return createMikaPlugin({ ...options, maintenance: { ...maintenance, repositories } });
}
