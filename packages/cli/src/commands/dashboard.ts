import { createMaintenanceRuntime } from "@mika-maintenance/core";
import { Option } from "commander";
import { EXIT } from "../errors.ts";
import { type MikaCommandContext, withStore } from "../setup/command-context.ts";
import { defaultInstanceId } from "../setup/instance-id.ts";
import {
  addLaneOptions,
  flagsOf,
  instanceIdOption,
  type MikaCommandRegistration,
  runtimeFlags,
} from "./command-kit.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";
import { adminTokenOption, httpFlags, type MikaHttpFlags, serveHttp } from "./serve-http.ts";

/** Registers `dashboard`. */
export const registerDashboardCommand: MikaCommandRegistration = (program, cli) => {
  addLaneOptions(
    program
      .command("dashboard")
      .description(
        "serve the maintenance dashboard, its JSON API, /healthz, /readyz and /metrics (runs no lanes)",
      )
      .addOption(
        new Option("--listen <host:port>", "where to serve")
          .default("127.0.0.1:9465")
          .env("MIKA_DASHBOARD_LISTEN"),
      )
      .addOption(adminTokenOption())
      .addOption(
        new Option("--leader-name <name>", "leadership row to show (default mika-maintenance)").env(
          "MIKA_LEADER_NAME",
        ),
      )
      .addOption(instanceIdOption("recorded as the holder of passes run from the page")),
  ).action(async (_options, command) => {
    const flags = flagsOf(command);
    const parsed = {
      ...runtimeFlags({
        ...flags,
        instanceId: flags.instanceId ?? `dashboard:${defaultInstanceId()}`,
      }),
      ...httpFlags(flags.listen, flags.adminToken, cli.io.env),
    };
    cli.setExitCode(
      await withStore(cli.io, flags, { migrates: false, requireMigrated: true }, (context) =>
        dashboardCommand(context, parsed),
      ),
    );
  });
};

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
