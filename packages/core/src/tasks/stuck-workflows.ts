import { defineMaintenanceTask } from "../runner/task.ts";
import { planOnOps } from "./plan-on-ops.ts";

/** The `lastError` written on a workflow whose worker died holding its last lease. */
export const STUCK_WORKFLOW_ERROR =
  "Workflow lease expired on its last allowed attempt (the worker likely stopped); marked failed by maintenance. It can be replayed.";

/** Marks workflows failed whose last allowed lease expired. */
export const stuckWorkflowsTask = defineMaintenanceTask({
  key: "stuckWorkflows",
  description: "Marks workflows failed whose last allowed lease expired.",
  lane: { kind: "hygiene", intervalMs: 60_000, timeoutMs: 60_000 },
  limits: {
    stuckWorkflowLimit: {
      default: 50,
      description: "Exhausted workflow leases reclaimed per run.",
    },
  },
  plan: (input) =>
    planOnOps("stuckWorkflows", input, (ops, { now, limits }) =>
      ops.reclaimExhaustedWorkflows({
        now,
        limit: limits.stuckWorkflowLimit,
        error: STUCK_WORKFLOW_ERROR,
      }),
    ),
});
