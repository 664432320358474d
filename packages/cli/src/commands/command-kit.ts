import { type Command, Option } from "commander";
import type { MikaCliIo } from "../io.ts";
import { type MikaCommandContext, withStore } from "../setup/command-context.ts";
import { collect, LANE_NAMES, laneFlags, msFlag, nameFlag } from "../setup/flags.ts";
import type { MikaGlobalFlags } from "../setup/global-options.ts";
import { defaultInstanceId } from "../setup/instance-id.ts";
import type { MikaRuntimeFlags } from "./runtime-options.ts";

/** What every command registration shares: the process's io and where its exit code goes. */
export interface MikaCli {
  io: MikaCliIo;
  setExitCode(code: number): void;
}

/** Adds one command to the program; `main.ts` is the list of these. */
export type MikaCommandRegistration = (program: Command, cli: MikaCli) => void;

/** The command's own flags merged with the global ones (after the environment). */
export function flagsOf(command: Command): MikaGlobalFlags & Record<string, unknown> {
  return command.optsWithGlobals() as MikaGlobalFlags & Record<string, unknown>;
}

/** Help text listing the lanes, for commands that take lane names. */
export const LANES_HELP = `\nLanes (task keys, in run order):\n  ${LANE_NAMES.join(", ")}`;

/** `--interval`, `--timeout` and `--disable`, each repeatable and with its environment variable. */
export function addLaneOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--interval <lane=ms>",
        "a lane's interval, e.g. stockReservations=2000 (repeatable; comma-separated in the env var)",
      )
        .argParser(collect)
        .env("MIKA_INTERVAL"),
    )
    .addOption(
      new Option("--timeout <lane=ms>", "a lane's pass timeout (repeatable)")
        .argParser(collect)
        .env("MIKA_TIMEOUT"),
    )
    .addOption(
      new Option("--disable <lane>", "never run this lane (repeatable)")
        .argParser(collect)
        .env("MIKA_DISABLE"),
    )
    .addHelpText("after", LANES_HELP);
}

/** `--instance-id` with its environment variable. */
export function instanceIdOption(description: string): Option {
  return new Option("--instance-id <id>", description).env("MIKA_INSTANCE_ID");
}

/** `--migrate` with its environment variable. */
export function migrateOption(): Option {
  return new Option("--migrate", "apply pending migrations first").env("MIKA_MIGRATE");
}

/** The runtime's flags after validation (instance id, lanes, leadership timing). */
export function runtimeFlags(flags: Record<string, unknown>): MikaRuntimeFlags {
  const parsed: MikaRuntimeFlags = {
    instanceId:
      flags.instanceId === undefined
        ? defaultInstanceId()
        : nameFlag("--instance-id", flags.instanceId),
    lanes: laneFlags(flags as { interval?: string[]; timeout?: string[]; disable?: string[] }),
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
}

/**
 * Runs a sweeping command's `work` on the store and sets the exit code: with `--migrate` the
 * store is migrated first, without it an unmigrated store is refused.
 */
export async function sweepWithStore(
  cli: MikaCli,
  flags: MikaGlobalFlags & Record<string, unknown>,
  work: (context: MikaCommandContext) => Promise<number>,
): Promise<void> {
  const migrate = flags.migrate === true;
  const needs = { migrates: migrate, migrateFirst: migrate, requireMigrated: !migrate };
  cli.setExitCode(await withStore(cli.io, flags, needs, work));
}

/** A command that runs the lanes (`run`, `tick`): its name, help, options and work. */
export interface MikaRuntimeCommand<Extra> {
  name: string;
  description: string;
  /** Its options in help order (`--instance-id` and `--migrate` among them); lanes come last. */
  options: Option[];
  /** Its own flags, validated, beside the runtime's. */
  parse(flags: MikaGlobalFlags & Record<string, unknown>): Extra;
  work(context: MikaCommandContext, flags: MikaRuntimeFlags & Extra): Promise<number>;
}

/**
 * Registers a runtime command: its options, then the lane options; its action validates the
 * runtime's flags and its own, and runs `work` on the store (migrated first with `--migrate`).
 */
export function registerRuntimeCommand<Extra>(
  program: Command,
  cli: MikaCli,
  spec: MikaRuntimeCommand<Extra>,
): void {
  const command = program.command(spec.name).description(spec.description);
  for (const option of spec.options) command.addOption(option);
  addLaneOptions(command).action(async (_options, self: Command) => {
    const flags = flagsOf(self);
    const parsed = { ...runtimeFlags(flags), ...spec.parse(flags) };
    await sweepWithStore(cli, flags, (context) => spec.work(context, parsed));
  });
}
