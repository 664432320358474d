import { defineMaintenanceTask } from "../runner/task.ts";
import { planOnOps } from "./plan-on-ops.ts";

/** The `lastError` written on an email whose worker died holding its last lease. */
export const STUCK_EMAIL_ERROR =
  "Email lease expired on its last allowed attempt without a result (the worker likely stopped mid-send); marked failed by maintenance.";

/** Marks emails failed whose last allowed lease expired without a result. */
export const stuckEmailsTask = defineMaintenanceTask({
  key: "stuckEmails",
  description: "Marks emails failed whose last allowed lease expired without a result.",
  lane: { kind: "hygiene", intervalMs: 60_000, timeoutMs: 60_000 },
  limits: {
    stuckEmailLimit: { default: 50, description: "Exhausted email leases reclaimed per run." },
  },
  plan: (input) =>
    planOnOps("stuckEmails", input, (ops, { now, limits }) =>
      ops.reclaimExhaustedEmails({ now, limit: limits.stuckEmailLimit, error: STUCK_EMAIL_ERROR }),
    ),
});
