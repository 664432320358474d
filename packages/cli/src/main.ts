import { createRequire } from "node:module";
import { errorMessage, MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import { Command, CommanderError } from "commander";
import { dashboardCommand } from "./commands/dashboard.ts";
import { demoCommand } from "./commands/demo.ts";
import { migrateCommand } from "./commands/migrate.ts";
import { onceCommand } from "./commands/once.ts";
import { runCommand } from "./commands/run.ts";
import type { MikaRuntimeFlags } from "./commands/runtime-options.ts";
import { httpFlags } from "./commands/serve-http.ts";
import { statusCommand } from "./commands/status.ts";
import { tickCommand } from "./commands/tick.ts";
import { EXIT, MikaCliInputError } from "./errors.ts";
import { type MikaCliIo, processIo } from "./io.ts";
import { type MikaGlobalFlags, withStore } from "./setup/command-context.ts";
import { collect, laneFlags, msFlag, nameFlag } from "./setup/flags.ts";
import { defaultInstanceId } from "./setup/instance-id.ts";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

type LaneOptions = { interval?: string[]; timeout?: string[]; disable?: string[] };

/**
 * Runs the `mika-maintenance` command line and resolves with its exit code: 0 ok, 1 a task
 * or pass failed, 2 bad input (one line on stderr naming the problem; nothing written).
 */
export async function runCli(
  argv: readonly string[],
  io: MikaCliIo = processIo(),
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command("mika-maintenance")
    .description(
      "Keeps a commerce backend's time-based state moving: the maintenance-only role (run), one sweep (once), bounded ticks, migrations, status and a demo.",
    )
    .version(version)
    .option(
      "--database-url <url>",
      "postgres://, postgresql://, libsql:// or file:<path> (default file:mika-maintenance.db, or MIKA_DATABASE_URL)",
    )
    .option(
      "--config <module>",
      "module exporting runtime dependencies (sender, acpSessionStore, lanes, …)",
    )
    .option("--schema <name>", "Postgres schema of the tables (default public)")
    .option("--table-prefix <prefix>", "prefix of every table name (default mika_)")
    .option("--json", "JSON output (the default when stdout is not a terminal)")
    .option("--table", "table output even when stdout is not a terminal")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      outputError: () => {},
    });

  const globals = (command: Command) =>
    command.optsWithGlobals() as MikaGlobalFlags & Record<string, unknown>;
  const laneOptions = (command: Command) =>
    command
      .option(
        "--interval <lane=ms>",
        "a lane's interval, e.g. stockReservations=2000 (repeatable)",
        collect,
      )
      .option("--timeout <lane=ms>", "a lane's pass timeout (repeatable)", collect)
      .option("--disable <lane>", "never run this lane (repeatable)", collect);
  const runtimeFlags = (flags: Record<string, unknown>): MikaRuntimeFlags => {
    const parsed: MikaRuntimeFlags = {
      instanceId:
        flags.instanceId === undefined
          ? defaultInstanceId()
          : nameFlag("--instance-id", flags.instanceId),
      lanes: laneFlags(flags as LaneOptions),
    };
    if (flags.leaderName !== undefined)
      parsed.leaderName = nameFlag("--leader-name", flags.leaderName);
    if (flags.leaseTtl !== undefined)
      parsed.leaseTtlMs = msFlag("--lease-ttl", flags.leaseTtl, 1_000, 3_600_000);
    if (flags.heartbeat !== undefined)
      parsed.heartbeatMs = msFlag("--heartbeat", flags.heartbeat, 100, 3_600_000);
    if (flags.shutdownGrace !== undefined) {
      parsed.shutdownGraceMs = msFlag("--shutdown-grace", flags.shutdownGrace, 0, 3_600_000);
    }
    return parsed;
  };

  laneOptions(
    program
      .command("run")
      .description("run the maintenance-only role: lanes with leader election until SIGINT/SIGTERM")
      .option("--instance-id <id>", "this process's id (default host:pid:random)")
      .option(
        "--leader-name <name>",
        "leadership row shared by the replicas (default mika-maintenance)",
      )
      .option("--lease-ttl <ms>", "leadership lease TTL (default 30000; renewed every third)")
      .option("--heartbeat <ms>", "heartbeat interval (default 10000)")
      .option(
        "--shutdown-grace <ms>",
        "how long shutdown waits for passes in flight (default 10000)",
      )
      .option("--migrate", "apply pending migrations first")
      .option(
        "--listen <host:port>",
        "also serve /healthz, /readyz, /metrics and the dashboard here, e.g. 127.0.0.1:9464 (off by default)",
      )
      .option(
        "--admin-token <token>",
        "enables the dashboard's actions for requests carrying it (or MIKA_ADMIN_TOKEN; 16+ characters)",
      ),
  ).action(async (_options, command: Command) => {
    const flags = globals(command);
    const parsed = {
      ...runtimeFlags(flags),
      ...(flags.listen !== undefined
        ? { http: httpFlags(flags.listen, flags.adminToken, io.env) }
        : {}),
    };
    exitCode = await withStore(
      io,
      flags,
      { create: false, requireMigrated: true, migrate: flags.migrate === true },
      (context) => runCommand(context, parsed),
    );
  });

  program
    .command("once")
    .description(
      "run every task once; a table on a terminal, JSON otherwise; exit 1 when a task failed",
    )
    .option("--instance-id <id>", "recorded as the sweep's holder in status")
    .option("--migrate", "apply pending migrations first")
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const instanceId =
        flags.instanceId === undefined
          ? `once:${defaultInstanceId()}`
          : nameFlag("--instance-id", flags.instanceId);
      exitCode = await withStore(
        io,
        flags,
        { create: false, requireMigrated: true, migrate: flags.migrate === true },
        (context) => onceCommand(context, { instanceId }),
      );
    });

  laneOptions(
    program
      .command("tick")
      .description(
        "run the lanes that are due, once, within a time budget (for cron and serverless)",
      )
      .option("--budget <ms>", "return within this many milliseconds", "25000")
      .option("--instance-id <id>", "this tick's id")
      .option("--migrate", "apply pending migrations first"),
  ).action(async (_options, command: Command) => {
    const flags = globals(command);
    const parsed = {
      ...runtimeFlags(flags),
      budgetMs: msFlag("--budget", flags.budget, 1, 3_600_000),
    };
    exitCode = await withStore(
      io,
      flags,
      { create: false, requireMigrated: true, migrate: flags.migrate === true },
      (context) => tickCommand(context, parsed),
    );
  });

  program
    .command("migrate")
    .description("apply pending migrations (creates an embedded database file if needed)")
    .option("--status", "only show applied and pending migrations")
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const statusOnly = flags.status === true;
      exitCode = await withStore(
        io,
        flags,
        { create: !statusOnly, requireMigrated: false },
        (context) => migrateCommand(context, { statusOnly }),
      );
    });

  laneOptions(
    program
      .command("status")
      .description(
        "leader, heartbeats, each lane's last run, and the backlogs with their oldest ages",
      )
      .option("--leader-name <name>", "leadership row to read (default mika-maintenance)")
      .option(
        "--check",
        "exit 1 when a lane's last pass failed or was abandoned, or a lane is overdue",
      ),
  ).action(async (_options, command: Command) => {
    const flags = globals(command);
    const parsed = {
      check: flags.check === true,
      lanes: laneFlags(flags as LaneOptions),
      ...(flags.leaderName !== undefined
        ? { leaderName: nameFlag("--leader-name", flags.leaderName) }
        : {}),
    };
    exitCode = await withStore(io, flags, { create: false, requireMigrated: true }, (context) =>
      statusCommand(context, parsed),
    );
  });

  laneOptions(
    program
      .command("dashboard")
      .description(
        "serve the maintenance dashboard, its JSON API, /healthz, /readyz and /metrics (runs no lanes)",
      )
      .option("--listen <host:port>", "where to serve", "127.0.0.1:9465")
      .option(
        "--admin-token <token>",
        "enables run now / pause / resume for requests carrying it (or MIKA_ADMIN_TOKEN; 16+ characters)",
      )
      .option("--leader-name <name>", "leadership row to show (default mika-maintenance)")
      .option("--instance-id <id>", "recorded as the holder of passes run from the page"),
  ).action(async (_options, command: Command) => {
    const flags = globals(command);
    const parsed = {
      ...runtimeFlags({
        ...flags,
        instanceId: flags.instanceId ?? `dashboard:${defaultInstanceId()}`,
      }),
      ...httpFlags(flags.listen, flags.adminToken, io.env),
    };
    exitCode = await withStore(io, flags, { create: false, requireMigrated: true }, (context) =>
      dashboardCommand(context, parsed),
    );
  });

  program
    .command("demo")
    .description("seed an embedded libSQL file with a shop's state, sweep it, and show what moved")
    .option("--mailbox <file>", "where the demo sender delivers mail", ".mika/demo-mailbox.jsonl")
    .option("--emails <count>", "queued emails to seed", "300")
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const emails = msFlag("--emails", flags.emails, 0, 100_000);
      exitCode = await demoCommand(io, {
        ...flags,
        mailbox: String(flags.mailbox),
        instanceId: `demo:${defaultInstanceId()}`,
        size: { emails, reservations: 96, ephemeral: 400, webhooks: 90, acpSessions: 40 },
      });
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      io.err(`mika-maintenance: ${error.message.replace(/^error: /, "")}`);
      return EXIT.badInput;
    }
    if (error instanceof MikaCliInputError || error instanceof MikaMaintenanceOptionsError) {
      io.err(`mika-maintenance: ${error.message}`);
      return EXIT.badInput;
    }
    io.err(`mika-maintenance: ${errorMessage(error)}`);
    return EXIT.taskFailed;
  }
}
