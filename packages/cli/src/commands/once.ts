import {
  countersOf,
  createMikaMaintenanceRunner,
  errorMessage,
  MIKA_DEFAULT_RUN_LIMITS,
  MIKA_MAINTENANCE_TASKS,
  type MikaLaneKey,
  type MikaMaintenanceRunResult,
  type MikaMaintenanceTaskResult,
  recordMaintenanceRun,
} from "@mika-maintenance/core";
import { Option } from "commander";
import { EXIT, MikaCliInputError } from "../errors.ts";
import { movedCount } from "../render/format.ts";
import { type MikaSweep, renderSweep, summarizeSweep } from "../render/sweep.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { collect, countFlag, nameFlag } from "../setup/flags.ts";
import { defaultInstanceId } from "../setup/instance-id.ts";
import { runnerInputFor } from "../setup/runner-input.ts";
import {
  flagsOf,
  instanceIdOption,
  LANES_HELP,
  type MikaCommandRegistration,
  migrateOption,
  sweepWithStore,
} from "./command-kit.ts";

/** A drain stops after this many sweeps even if a task keeps reporting `hasMore`. */
const MAX_DRAIN_SWEEPS = 10_000;

/** What `once` was asked to do. */
export interface MikaOnceFlags {
  instanceId: string;
  /** Batch limit of every task for this sweep. */
  limit?: number;
  /** Task keys as given; checked against the runner's tasks (built-in and `--config` ones). */
  only?: string[];
  /** Repeat while a task reports `hasMore`. */
  drain: boolean;
}

/** Registers `once`. */
export const registerOnceCommand: MikaCommandRegistration = (program, cli) => {
  program
    .command("once")
    .description(
      "run every task once; a table on a terminal, JSON otherwise; exit 1 when a task failed",
    )
    .addOption(instanceIdOption("recorded as the sweep's holder in status"))
    .addOption(
      new Option("--limit <n>", "batch limit of every task for this sweep (1 to 100000)").env(
        "MIKA_LIMIT",
      ),
    )
    .addOption(
      new Option("--only <lanes>", "only these tasks, comma-separated (repeatable)")
        .argParser(collect)
        .env("MIKA_ONLY"),
    )
    .addOption(
      new Option(
        "--drain",
        "sweep again while a task reports more work (hasMore); a progress line on a terminal",
      ).env("MIKA_DRAIN"),
    )
    .addOption(migrateOption())
    .addHelpText("after", LANES_HELP)
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      const parsed: MikaOnceFlags = {
        instanceId:
          flags.instanceId === undefined
            ? `once:${defaultInstanceId()}`
            : nameFlag("--instance-id", flags.instanceId),
        drain: flags.drain === true,
      };
      if (flags.limit !== undefined)
        parsed.limit = countFlag("--limit", flags.limit, 1, 100_000, "items per task");
      if (flags.only !== undefined) parsed.only = flags.only as string[];
      await sweepWithStore(cli, flags, (context) => onceCommand(context, parsed));
    });
};

/** `once`: one sweep of every (or each `--only`) task, or with `--drain` until nothing is left. */
export async function onceCommand(
  context: MikaCommandContext,
  flags: MikaOnceFlags,
): Promise<number> {
  const { io } = context;
  const input = runnerInputFor(context.store, context.config);
  if (flags.limit !== undefined) {
    input.defaults = {
      ...input.defaults,
      ...Object.fromEntries(
        Object.keys(MIKA_DEFAULT_RUN_LIMITS)
          .filter((key) => key.endsWith("Limit"))
          .map((key) => [key, flags.limit]),
      ),
    };
  }
  const runner = createMikaMaintenanceRunner(input);
  const keys =
    flags.only === undefined ? runner.taskKeys : chosenTasks(flags.only, runner.taskKeys);
  const sweeps: MikaSweep[] = [];
  let moved = 0;
  const progress = flags.drain && io.errIsTTY;
  for (let round = 1; round <= (flags.drain ? MAX_DRAIN_SWEEPS : 1); round++) {
    const sweep = await sweepOnce(runner, keys);
    sweeps.push(sweep);
    await record(context, sweep, flags.instanceId);
    moved += sweep.tasks.reduce(
      (sum, task) =>
        sum +
        (task.outcome.status === "completed" ? movedCount(countersOf(task.outcome.result)) : 0),
      0,
    );
    const behind = sweep.tasks
      .filter(
        (task) =>
          task.outcome.status === "completed" && countersOf(task.outcome.result).hasMore === true,
      )
      .map((task) => task.key);
    if (progress) {
      io.progress(
        `\r\u001b[2Kdrain: sweep ${round}, ${moved} rows moved${behind.length ? `, more left in ${behind.join(", ")}` : ""}`,
      );
    }
    const failed = sweep.tasks.some((task) => task.outcome.status === "failed");
    if (!flags.drain || behind.length === 0 || failed) break;
  }
  if (progress) io.progress("\n");
  const failed = sweeps.some((sweep) =>
    sweep.tasks.some((task) => task.outcome.status === "failed"),
  );
  if (context.json) {
    io.out(
      JSON.stringify(
        flags.drain
          ? { ok: !failed, sweeps: sweeps.length, moved, last: summarizeSweep(sweeps.at(-1)!) }
          : summarizeSweep(sweeps[0]!),
        null,
        2,
      ),
    );
  } else {
    const last = sweeps.at(-1)!;
    if (flags.drain)
      io.out(`drained in ${sweeps.length} sweep(s), ${moved} rows moved; last sweep:`);
    io.out(renderSweep(last, { color: context.color, columns: io.columns }));
  }
  return failed ? EXIT.taskFailed : EXIT.ok;
}

/** The `--only` tasks in run order; an unknown name is an input error listing every task. */
function chosenTasks(only: readonly string[], known: readonly MikaLaneKey[]): MikaLaneKey[] {
  for (const name of only) {
    if (!known.includes(name)) {
      throw new MikaCliInputError(
        `--only names an unknown task ${JSON.stringify(name)}; tasks are ${known.join(", ")}.`,
      );
    }
  }
  return known.filter((key) => only.includes(key));
}

async function sweepOnce(
  runner: ReturnType<typeof createMikaMaintenanceRunner>,
  keys: readonly MikaLaneKey[],
): Promise<MikaSweep> {
  const now = new Date().toISOString();
  const tasks: MikaSweep["tasks"] = [];
  for (const key of keys) {
    const { now: _now, ...outcome } = await runner.runTask(key, { now });
    tasks.push({ key, outcome: outcome as MikaMaintenanceTaskResult<unknown> });
  }
  return { now, tasks };
}

/** Records the sweep as lane runs, so `status` shows it like any runtime pass. */
async function record(context: MikaCommandContext, sweep: MikaSweep, instanceId: string) {
  try {
    // Only the tasks this sweep ran: a run result of those, recorded as core records one.
    const result = {
      now: sweep.now,
      ...Object.fromEntries(sweep.tasks.map(({ key, outcome }) => [key, outcome])),
    } as MikaMaintenanceRunResult;
    await recordMaintenanceRun(context.store.runtimeState, result, { instanceId });
  } catch (error) {
    context.io.err(
      `mika-maintenance: the sweep ran but could not be recorded for status: ${errorMessage(error)}`,
    );
  }
}

/** A full runner result as a sweep (every task), for callers that ran `runOnce`. */
export function sweepOf(result: MikaMaintenanceRunResult): MikaSweep {
  return {
    now: result.now,
    tasks: MIKA_MAINTENANCE_TASKS.map((task) => ({
      key: task.key,
      outcome: result[task.key] as MikaMaintenanceTaskResult<unknown>,
    })),
  };
}
