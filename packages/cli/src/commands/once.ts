import {
  createMikaMaintenanceRunner,
  errorMessage,
  hasFailedTask,
  recordMaintenanceRun,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { EXIT } from "../errors.ts";
import { renderSweep } from "../render/sweep.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { runnerInputFor } from "../setup/runner-input.ts";

/** `once`: one sweep of every task; exit 1 when a task failed. */
export async function onceCommand(
  context: MikaCommandContext,
  flags: { instanceId: string },
): Promise<number> {
  const runner = createMikaMaintenanceRunner(runnerInputFor(context.store, context.config));
  const result = await runner.runOnce();
  try {
    await recordMaintenanceRun(context.store.runtimeState, result, {
      instanceId: flags.instanceId,
    });
  } catch (error) {
    context.io.err(
      `mika-maintenance: the sweep ran but could not be recorded for status: ${errorMessage(error)}`,
    );
  }
  if (context.json) context.io.out(JSON.stringify(summarizeMaintenanceResult(result), null, 2));
  else context.io.out(renderSweep(result, context.color));
  return hasFailedTask(result) ? EXIT.taskFailed : EXIT.ok;
}
