import {
  describeMaintenanceStatus,
  type MikaMaintenanceRuntimeInput,
  type MikaMaintenanceStatus,
} from "@mika-maintenance/core";
import { Option } from "commander";
import { EXIT } from "../errors.ts";
import { formatAge, formatDuration } from "../render/format.ts";
import { renderStatus } from "../render/status.ts";
import { type MikaCommandContext, withStore } from "../setup/command-context.ts";
import { laneFlags, msFlag, nameFlag } from "../setup/flags.ts";
import { addLaneOptions, flagsOf, type MikaCommandRegistration } from "./command-kit.ts";

/** What `status` was asked to do. */
export interface MikaStatusFlags {
  leaderName?: string;
  check: boolean;
  /** Redraw every this many milliseconds until interrupted. */
  watchMs?: number;
  lanes: MikaMaintenanceRuntimeInput["lanes"];
}

/** Registers `status`. */
export const registerStatusCommand: MikaCommandRegistration = (program, cli) => {
  addLaneOptions(
    program
      .command("status")
      .description(
        "leader, heartbeats, each lane's last run, and the backlogs with their oldest ages",
      )
      .addOption(
        new Option("--leader-name <name>", "leadership row to read (default mika-maintenance)").env(
          "MIKA_LEADER_NAME",
        ),
      )
      .addOption(
        new Option(
          "--check",
          "exit 1, saying why on stderr, when a lane's last pass failed or was abandoned, or a lane is overdue",
        ).env("MIKA_STATUS_CHECK"),
      )
      .addOption(
        new Option(
          "--watch [ms]",
          "redraw every ms (default 2000) until Ctrl-C; one JSON line per refresh off a terminal",
        ).env("MIKA_STATUS_WATCH_MS"),
      ),
  ).action(async (_options, command) => {
    const flags = flagsOf(command);
    const parsed: MikaStatusFlags = {
      check: flags.check === true,
      lanes: laneFlags(flags as { interval?: string[]; timeout?: string[]; disable?: string[] }),
    };
    if (flags.leaderName !== undefined) {
      parsed.leaderName = nameFlag("--leader-name", flags.leaderName);
    }
    if (flags.watch !== undefined) {
      parsed.watchMs =
        flags.watch === true ? 2_000 : msFlag("--watch", flags.watch, 200, 3_600_000);
    }
    cli.setExitCode(
      await withStore(cli.io, flags, { migrates: false, requireMigrated: true }, (context) =>
        statusCommand(context, parsed),
      ),
    );
  });
};

/**
 * `status`: leader, heartbeats, each lane's last run and the backlogs. `--check` exits 1 when
 * an enabled lane is unhealthy and prints one line per reason; `--watch` redraws until a
 * signal.
 */
export async function statusCommand(
  context: MikaCommandContext,
  flags: MikaStatusFlags,
): Promise<number> {
  const { io } = context;
  const read = () =>
    describeMaintenanceStatus({
      repositories: context.store,
      leaderName: flags.leaderName ?? context.config.runtime?.leaderName,
      lanes: { ...context.config.lanes, ...flags.lanes },
      ...(context.config.tasks ? { tasks: context.config.tasks } : {}),
    });
  const show = (status: MikaMaintenanceStatus, compact: boolean) => {
    if (context.json) io.out(JSON.stringify(status, null, compact ? undefined : 2));
    else io.out(renderStatus(status, { color: context.color, columns: io.columns }));
  };

  if (flags.watchMs === undefined) {
    const status = await read();
    show(status, false);
    if (!flags.check) return EXIT.ok;
    const reasons = checkFailures(status);
    for (const reason of reasons) io.err(`mika-maintenance: status check failed: ${reason}`);
    return reasons.length ? EXIT.taskFailed : EXIT.ok;
  }

  const stop = new AbortController();
  const offSignals = io.onShutdownSignal(() => stop.abort());
  const offClosed = io.onStdoutClosed(() => stop.abort());
  try {
    while (!stop.signal.aborted) {
      const status = await read();
      if (!context.json && io.isTTY) io.progress("\u001b[H\u001b[2J");
      show(status, true);
      await sleep(flags.watchMs, stop.signal);
    }
  } finally {
    offSignals();
    offClosed();
  }
  return EXIT.ok;
}

/** Why `status --check` fails: one sentence per unhealthy lane, or the unreadable state. */
export function checkFailures(status: MikaMaintenanceStatus): string[] {
  if (status.lanesError) return [`the lanes' state could not be read: ${status.lanesError}`];
  const nowMs = Date.parse(status.now);
  const reasons: string[] = [];
  for (const lane of status.lanes) {
    if (!lane.enabled) continue;
    const last = lane.lastRun;
    // A failed last pass is named even when the lane is also overdue: it says what broke.
    if (last && (last.status === "failed" || last.status === "abandoned")) {
      reasons.push(
        `${lane.lane}: its last pass ${last.status === "failed" ? "failed" : "was abandoned"} (${formatAge(nowMs - Date.parse(last.startedAt))}, by ${last.instanceId}): ${last.error ?? "no error recorded"}`,
      );
    }
    if (lane.health === "overdue") {
      reasons.push(
        `${lane.lane}: overdue, its last pass started ${lane.lastStartedAt ? formatAge(nowMs - Date.parse(lane.lastStartedAt)) : "never"} but it runs every ${formatDuration(lane.intervalMs)}; is \`mika-maintenance run\` (or the tick's cron) running?`,
      );
    } else if (lane.health === "unknown") {
      reasons.push(`${lane.lane}: its state could not be read`);
    }
  }
  return reasons;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
