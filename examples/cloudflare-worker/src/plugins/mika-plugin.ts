// EmDash calls `createPlugin()` with the descriptor's JSON options; this module adds the
// runtime values: the maintenance store on D1 and its email outbox runner.
import {
  createPlugin as createMikaPlugin,
  type MikaCreatePluginOptions,
} from "@mika-maintenance/emdash";
import { emailOutboxRunner, repositories } from "../maintenance-store.ts";

export function createPlugin(options: MikaCreatePluginOptions = {}) {
  const maintenance = options.maintenance ?? {};
  return createMikaPlugin({
    ...options,
    maintenance: { ...maintenance, repositories, emailOutboxRunner },
  });
}
