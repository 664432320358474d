import { createRequire } from "node:module";
import { errorMessage, MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import { Command, CommanderError } from "commander";
import type { MikaCommandRegistration } from "./commands/command-kit.ts";
import { registerDashboardCommand } from "./commands/dashboard.ts";
import { registerDemoCommand } from "./commands/demo.ts";
import { registerMigrateCommand } from "./commands/migrate.ts";
import { registerOnceCommand } from "./commands/once.ts";
import { registerRunCommand } from "./commands/run.ts";
import { registerStatusCommand } from "./commands/status.ts";
import { registerTickCommand } from "./commands/tick.ts";
import { EXIT, MikaCliInputError } from "./errors.ts";
import { type MikaCliIo, processIo } from "./io.ts";
import { addGlobalOptions } from "./setup/global-options.ts";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/** The commands, in the order `--help` lists them. */
const COMMANDS: readonly MikaCommandRegistration[] = [
  registerRunCommand,
  registerOnceCommand,
  registerTickCommand,
  registerMigrateCommand,
  registerStatusCommand,
  registerDashboardCommand,
  registerDemoCommand,
];

/**
 * Runs the `mika-maintenance` command line and resolves with its exit code: 0 ok, 1 a task
 * or pass failed, 2 bad input (one line on stderr naming the problem; nothing written).
 */
export async function runCli(
  argv: readonly string[],
  io: MikaCliIo = processIo(),
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = addGlobalOptions(
    new Command("mika-maintenance")
      .description(
        "Keeps a commerce backend's time-based state moving: the maintenance-only role (run), one sweep (once), bounded ticks, migrations, status, a dashboard and a demo.",
      )
      .version(version),
  )
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      outputError: () => {},
    });
  const cli = {
    io,
    setExitCode: (code: number) => {
      exitCode = code;
    },
  };
  for (const register of COMMANDS) register(program, cli);
  for (const command of program.commands) {
    command.configureHelp({ showGlobalOptions: true }).exitOverride();
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      io.err(`mika-maintenance: ${errorMessage(error.message.replace(/^error: /, ""))}`);
      return EXIT.badInput;
    }
    if (error instanceof MikaCliInputError) {
      // Built from masked parts already; masking again would eat the ":" after a "***".
      io.err(`mika-maintenance: ${error.message}`);
      return EXIT.badInput;
    }
    if (error instanceof MikaMaintenanceOptionsError) {
      io.err(`mika-maintenance: ${errorMessage(error)}`);
      return EXIT.badInput;
    }
    io.err(`mika-maintenance: ${errorMessage(error)}`);
    return EXIT.taskFailed;
  }
}
