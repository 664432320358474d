import { createMaintenanceRuntime } from "@mika-maintenance/core";
import { EXIT } from "../errors.ts";
import { renderTick } from "../render/sweep.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { type MikaRuntimeFlags, runtimeInputFor } from "./runtime-options.ts";

/** `tick --budget <ms>`: the due lanes once, within the budget; exit 1 when a pass failed. */
export async function tickCommand(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags & { budgetMs: number },
): Promise<number> {
  const runtime = createMaintenanceRuntime({ ...runtimeInputFor(context, flags), logger: false });
  const report = await runtime.tick({ budgetMs: flags.budgetMs });
  if (context.json) context.io.out(JSON.stringify(report, null, 2));
  else context.io.out(renderTick(report, context.color));
  return report.ok ? EXIT.ok : EXIT.taskFailed;
}
