import { createMaintenanceRuntime } from "@mika-maintenance/core";
import { EXIT } from "../errors.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";
import { type MikaHttpFlags, serveHttp } from "./serve-http.ts";

/**
 * `dashboard`: serves the maintenance dashboard, its JSON API, /healthz, /readyz and /metrics
 * for the database until SIGINT/SIGTERM. It runs no lanes; "run now" (with the admin token)
 * runs one pass here, claimed in the store like any other.
 */
export async function dashboardCommand(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags & MikaHttpFlags,
): Promise<number> {
  const input = runtimeInputFor(context, flags);
  const runtime = createMaintenanceRuntime({ ...input, logger: false });
  const { server, notice } = await serveHttp(context, flags, {
    runLaneNow: (lane) => runtime.runLaneNow(lane),
    ...(input.lanes ? { lanes: input.lanes } : {}),
    ...(input.leaderName ? { leaderName: input.leaderName } : {}),
  });
  context.io.out(`mika-maintenance dashboard on ${server.url}/ (${notice})`);
  await new Promise<void>((resolve) => {
    const off = context.io.onShutdownSignal(() => {
      off();
      resolve();
    });
  });
  await server.close();
  return EXIT.ok;
}
