import {
  describeMaintenanceStatus,
  type MikaMaintenanceRuntimeInput,
} from "@mika-maintenance/core";
import { EXIT } from "../errors.ts";
import { renderStatus } from "../render/status.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";

/** Lane health that `status --check` treats as a failure. */
const UNHEALTHY = new Set(["failed", "abandoned", "overdue"]);

/**
 * `status`: leader, heartbeats, each lane's last run and the backlogs. With `--check`, exits
 * 1 when an enabled lane's last pass failed or was abandoned, or the lane is overdue.
 */
export async function statusCommand(
  context: MikaCommandContext,
  flags: { leaderName?: string; check: boolean; lanes: MikaMaintenanceRuntimeInput["lanes"] },
): Promise<number> {
  const status = await describeMaintenanceStatus({
    repositories: context.store,
    leaderName: flags.leaderName ?? context.config.runtime?.leaderName,
    lanes: { ...context.config.lanes, ...flags.lanes },
  });
  if (context.json) context.io.out(JSON.stringify(status, null, 2));
  else context.io.out(renderStatus(status, context.color));
  if (!flags.check) return EXIT.ok;
  const lanes = "error" in status.lanes ? null : status.lanes;
  const unhealthy = !lanes || lanes.some((lane) => UNHEALTHY.has(lane.health));
  return unhealthy ? EXIT.taskFailed : EXIT.ok;
}
