import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";

/** Deletes expired tokens, nonces, locks, rate-limit and cache rows. */
export const ephemeralRecordsTask = defineMaintenanceTask({
  key: "ephemeralRecords",
  description: "Deletes expired tokens, nonces, locks, rate-limit and cache rows.",
  lane: { kind: "hygiene", intervalMs: 60_000, timeoutMs: 120_000 },
  limits: {
    ephemeralRecordLimit: { default: 1000, description: "Expired ephemeral rows purged per run." },
  },
  plan(input) {
    const purge =
      input.purgeExpiredEphemeralRecords ??
      (input.repositories?.ephemeral
        ? input.repositories.ephemeral.purgeExpired.bind(input.repositories.ephemeral)
        : undefined);
    if (!purge) {
      return missingDependency(
        "ephemeralRecords",
        "a purgeExpiredEphemeralRecords function or repositories.ephemeral",
      );
    }
    return {
      sweeps: input.purgeExpiredEphemeralRecords ? undefined : input.repositories?.ephemeral,
      run: ({ now, limits }) => purge({ now, limit: limits.ephemeralRecordLimit }),
    };
  },
});
