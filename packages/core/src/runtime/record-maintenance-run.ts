import { createRandomId } from "../ids.ts";
import type { MikaLaneRunRecord, MikaRuntimeStatePort } from "../ports/runtime-state.ts";
import type { MikaMaintenanceRunResult, MikaMaintenanceTaskResult } from "../runner/results.ts";
import { countersOf } from "../runner/summarize.ts";

/**
 * Records a `runOnce()` sweep as one lane run per task, so `status` shows a manual sweep (the
 * CLI's `once`) like any runtime pass, host-defined tasks included. Returns the records written.
 */
export async function recordMaintenanceRun(
  runtimeState: Pick<MikaRuntimeStatePort, "recordLaneRun">,
  result: MikaMaintenanceRunResult,
  options: { instanceId: string; createId?: () => string },
): Promise<MikaLaneRunRecord[]> {
  const createId = options.createId ?? createRandomId;
  const startedMs = Date.parse(result.now);
  const records: MikaLaneRunRecord[] = [];
  for (const [lane, value] of Object.entries(result)) {
    if (lane === "now") continue;
    const outcome = value as MikaMaintenanceTaskResult<unknown>;
    const durationMs = outcome.status === "skipped" ? 0 : Math.round(outcome.durationMs);
    records.push({
      id: createId(),
      lane,
      instanceId: options.instanceId,
      startedAt: result.now,
      finishedAt: new Date(startedMs + durationMs).toISOString(),
      durationMs,
      status: outcome.status,
      counters: outcome.status === "completed" ? countersOf(outcome.result) : {},
      error:
        outcome.status === "failed"
          ? outcome.error
          : outcome.status === "skipped"
            ? outcome.reason
            : null,
    });
  }
  for (const record of records) await runtimeState.recordLaneRun(record);
  return records;
}
