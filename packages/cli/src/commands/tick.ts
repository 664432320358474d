import { createMaintenanceRuntime } from "@mika-maintenance/core";
import { Option } from "commander";
import { EXIT } from "../errors.ts";
import { renderTick } from "../render/sweep.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { msFlag } from "../setup/flags.ts";
import {
  instanceIdOption,
  type MikaCommandRegistration,
  migrateOption,
  registerRuntimeCommand,
} from "./command-kit.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";

/** Registers `tick`. */
export const registerTickCommand: MikaCommandRegistration = (program, cli) =>
  registerRuntimeCommand(program, cli, {
    name: "tick",
    description:
      "run the lanes that are due, once, within a time budget (for cron and serverless); exit 0 when every pass completed or was deferred (backlog is not failure), 1 when a pass failed",
    options: [
      new Option("--budget <ms>", "return within this many milliseconds")
        .default("25000")
        .env("MIKA_TICK_BUDGET_MS"),
      instanceIdOption("this tick's id, shown as the lanes' last holder"),
      migrateOption(),
    ],
    parse: (flags) => ({ budgetMs: msFlag("--budget", flags.budget, 1, 3_600_000) }),
    work: tickCommand,
  });

/**
 * `tick --budget <ms>`: the due lanes once, within the budget. A pass is only started when the
 * budget can hold it; work left over is reported as backlog. Exit 1 only when a pass failed.
 */
export async function tickCommand(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags & { budgetMs: number },
): Promise<number> {
  const runtime = createMaintenanceRuntime({ ...runtimeInputFor(context, flags), logger: false });
  const report = await runtime.tick({ budgetMs: flags.budgetMs });
  if (context.json) {
    context.io.out(JSON.stringify(report, null, 2));
    // The one line a cron log keeps, also when stdout is captured as JSON.
    context.io.err(report.summary);
  } else {
    context.io.out(renderTick(report, { color: context.color, columns: context.io.columns }));
  }
  return report.ok ? EXIT.ok : EXIT.taskFailed;
}
