import { hostname } from "node:os";
import { createMaintenanceRuntime, type MikaRuntimeEvent } from "@mika-maintenance/core";
import { Option } from "commander";
import { EXIT } from "../errors.ts";
import {
  createCliLogger,
  type MikaCliLogFormat,
  type MikaCliLogLevel,
} from "../logging/create-cli-logger.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import {
  instanceIdOption,
  type MikaCommandRegistration,
  migrateOption,
  registerRuntimeCommand,
} from "./command-kit.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";
import { adminTokenOption, httpFlags, type MikaHttpFlags, serveHttp } from "./serve-http.ts";

/** Registers `run`. */
export const registerRunCommand: MikaCommandRegistration = (program, cli) =>
  registerRuntimeCommand(program, cli, {
    name: "run",
    description: "run the maintenance-only role: lanes with leader election until SIGINT/SIGTERM",
    options: [
      instanceIdOption("this process's id (default host:pid:random)"),
      new Option(
        "--leader-name <name>",
        "leadership row shared by the replicas (default mika-maintenance)",
      ).env("MIKA_LEADER_NAME"),
      new Option(
        "--lease-ttl <ms>",
        "leadership lease TTL (default 30000; renewed every third)",
      ).env("MIKA_LEASE_TTL_MS"),
      new Option("--heartbeat <ms>", "heartbeat interval (default 10000)").env("MIKA_HEARTBEAT_MS"),
      new Option(
        "--shutdown-grace <ms>",
        "how long shutdown waits for passes in flight (default 10000)",
      ).env("MIKA_SHUTDOWN_GRACE_MS"),
      migrateOption(),
      new Option(
        "--listen <host:port>",
        "also serve /healthz, /readyz, /metrics and the dashboard here, e.g. 127.0.0.1:9464 (off by default)",
      ).env("MIKA_LISTEN"),
      adminTokenOption(),
    ],
    parse: (flags): { http?: MikaHttpFlags } =>
      flags.listen !== undefined
        ? { http: httpFlags(flags.listen, flags.adminToken, cli.io.env) }
        : {},
    work: runCommand,
  });

/**
 * `run`: the maintenance-only role. Campaigns for leadership and runs the lanes while leading;
 * logs through pino (JSON, or one readable line on a terminal). SIGINT, SIGTERM or stdout
 * going away (`run | head`) shuts it down gracefully: passes stop at a batch boundary and
 * leadership is resigned. A second signal exits at once. With `--listen` it also serves
 * /healthz, /readyz, /metrics and the dashboard.
 */
export async function runCommand(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags & { http?: MikaHttpFlags },
): Promise<number> {
  const { io } = context;
  const format = (context.flags.logFormat ?? (io.isTTY ? "pretty" : "json")) as MikaCliLogFormat;
  const logger = createCliLogger({
    level: (context.flags.logLevel ?? "info") as MikaCliLogLevel,
    format,
    color: context.color,
    write: (line) => io.out(line),
  });
  const log = logger.pino;
  const stop = new AbortController();
  const input = runtimeInputFor(context, flags);
  let onEvent: ((event: MikaRuntimeEvent) => void) | undefined;
  const runtime = createMaintenanceRuntime({
    ...input,
    host: hostname(),
    logger: logger.runtime,
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
    log.info(
      {
        url: served.server.url,
        endpoints: ["/healthz", "/readyz", "/metrics", "/", "/api/dashboard"],
        access: served.notice,
      },
      "http endpoints listening",
    );
  }
  const offSignals = io.onShutdownSignal((signal) => {
    if (stop.signal.aborted) {
      log.warn({ signal }, "second signal, exiting without waiting");
      process.exit(130);
    }
    log.info({ signal, instanceId: runtime.instanceId }, "shutdown requested");
    stop.abort();
  });
  const offClosed = io.onStdoutClosed(() => {
    io.err(
      "mika-maintenance: stdout was closed (its reader exited); shutting down and resigning leadership.",
    );
    stop.abort();
  });
  log.info(
    {
      instanceId: runtime.instanceId,
      database: context.target.display,
      lanes: runtime.lanes
        .filter((lane) => lane.enabled)
        .map((lane) => ({ lane: lane.lane, kind: lane.kind, intervalMs: lane.intervalMs })),
    },
    "maintenance runtime started",
  );
  try {
    const summary = await runtime.run();
    log.info({ ...summary }, "maintenance runtime stopped");
    return EXIT.ok;
  } finally {
    offSignals();
    offClosed();
    await served?.server.close();
  }
}
