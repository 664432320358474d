import { hostname } from "node:os";
import {
  createJsonLineLogger,
  createMaintenanceRuntime,
  type MikaRuntimeEvent,
} from "@mika-maintenance/core";
import { EXIT } from "../errors.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";
import { type MikaHttpFlags, serveHttp } from "./serve-http.ts";

/**
 * `run`: the maintenance-only role. Campaigns for leadership and runs the lanes while leading;
 * logs one JSON line per pass. SIGINT or SIGTERM shuts it down gracefully (passes stop at a
 * batch boundary, leadership is resigned); a second signal exits at once. With `--listen`
 * it also serves /healthz, /readyz, /metrics and the dashboard.
 */
export async function runCommand(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags & { http?: MikaHttpFlags },
): Promise<number> {
  const { io } = context;
  const logger = createJsonLineLogger((line) => io.out(line));
  const stop = new AbortController();
  const input = runtimeInputFor(context, flags);
  let onEvent: ((event: MikaRuntimeEvent) => void) | undefined;
  const runtime = createMaintenanceRuntime({
    ...input,
    host: hostname(),
    logger,
    signal: stop.signal,
    onEvent: (event) => {
      input.onEvent?.(event);
      onEvent?.(event);
    },
  });
  const served = flags.http
    ? await serveHttp(context, flags.http, {
        runtime,
        ...(input.lanes ? { lanes: input.lanes } : {}),
        ...(input.leaderName ? { leaderName: input.leaderName } : {}),
      })
    : null;
  if (served) {
    onEvent = served.http.onEvent;
    logger.info("http endpoints listening", {
      url: served.server.url,
      endpoints: ["/healthz", "/readyz", "/metrics", "/", "/api/dashboard"],
      access: served.notice,
    });
  }
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
    await served?.server.close();
  }
}
