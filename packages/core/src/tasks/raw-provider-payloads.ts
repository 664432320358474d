import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";
import { addMilliseconds, MS_PER_DAY } from "../time.ts";

/** Drops raw webhook payloads received at or before `now - retentionDays`. */
export const rawProviderPayloadsTask = defineMaintenanceTask({
  key: "rawProviderPayloads",
  description: "Drops raw webhook payloads older than the retention cutoff.",
  lane: { kind: "hygiene", intervalMs: 300_000, timeoutMs: 120_000 },
  limits: {
    rawProviderPayloadLimit: { default: 50, description: "Raw webhook payloads purged per run." },
    rawProviderPayloadRetentionDays: {
      default: 14,
      description: "Days a raw webhook payload is kept.",
      unit: "days",
    },
  },
  plan(input) {
    const ops = input.repositories?.ops;
    if (!ops) return missingDependency("rawProviderPayloads", "repositories.ops");
    return {
      run: ({ now, limits }) =>
        ops.purgeWebhookRawPayloads({
          now,
          cutoff: addMilliseconds(
            now,
            -Math.round(limits.rawProviderPayloadRetentionDays * MS_PER_DAY),
          ),
          limit: limits.rawProviderPayloadLimit,
        }),
    };
  },
});
