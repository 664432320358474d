import { hostname } from "node:os";
import { createJsonLineLogger, createMaintenanceRuntime } from "@mika-maintenance/core";
import { EXIT } from "../errors.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";

/**
 * `run`: the maintenance-only role. Campaigns for leadership and runs the lanes while leading;
 * logs one JSON line per pass. SIGINT or SIGTERM shuts it down gracefully (passes stop at a
 * batch boundary, leadership is resigned); a second signal exits at once.
 */
export async function runCommand(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags,
): Promise<number> {
  const { io } = context;
  const logger = createJsonLineLogger((line) => io.out(line));
  const stop = new AbortController();
  const runtime = createMaintenanceRuntime({
    ...runtimeInputFor(context, flags),
    host: hostname(),
    logger,
    signal: stop.signal,
  });
  const offSignals = io.onShutdownSignal((signal) => {
    if (stop.signal.aborted) {
      logger.warn("second signal, exiting without waiting", { signal });
      process.exit(130);
    }
    logger.info("shutdown requested", { signal, instanceId: runtime.instanceId });
    stop.abort();
  });
  logger.info("maintenance runtime started", {
    instanceId: runtime.instanceId,
    database: context.target.display,
    lanes: runtime.lanes
      .filter((lane) => lane.enabled)
      .map((lane) => ({ lane: lane.lane, kind: lane.kind, intervalMs: lane.intervalMs })),
  });
  try {
    const summary = await runtime.run();
    logger.info("maintenance runtime stopped", { ...summary });
    return EXIT.ok;
  } finally {
    offSignals();
  }
}
