import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";

/** Drains due emails under leases through the host's email outbox runner. */
export const emailOutboxTask = defineMaintenanceTask({
  key: "emailOutbox",
  description: "Drains due emails from the outbox under leases.",
  lane: { kind: "user-visible", runsOn: "every-replica", intervalMs: 5_000, timeoutMs: 120_000 },
  limits: { emailLimit: { default: 25, description: "Emails drained per run." } },
  plan(input) {
    const runner = input.emailOutboxRunner;
    if (!runner) {
      return missingDependency(
        "emailOutbox",
        "an emailOutboxRunner (createMikaEmailOutboxRunner with an email sender)",
      );
    }
    return {
      sweeps: runner.outbox,
      run: ({ now, limits, signal }) =>
        runner.runOnce({ now, limit: limits.emailLimit, ...(signal ? { signal } : {}) }),
    };
  },
});
