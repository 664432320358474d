import type { MikaResolvedRunLimits } from "../runner/run-options.ts";
import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";
import { addMilliseconds, type ISODateTime, MS_PER_DAY } from "../time.ts";

/** Drops raw webhook payloads received at or before `now - retentionDays`. */
export const rawProviderPayloadsTask = defineMaintenanceTask({
  key: "rawProviderPayloads",
  description: "Drops raw webhook payloads older than the retention cutoff.",
  plan(input) {
    const ops = input.repositories?.ops;
    if (!ops) return missingDependency("rawProviderPayloads", "repositories.ops");
    return {
      sweeps: ops,
      run: ({ now, limits }) =>
        ops.purgeWebhookRawPayloads({
          now,
          cutoff: rawPayloadCutoff(now, limits),
          limit: limits.rawProviderPayloadLimit,
        }),
    };
  },
});

/** Webhook events received at or before this instant are past raw-payload retention. */
export function rawPayloadCutoff(now: ISODateTime, limits: MikaResolvedRunLimits): ISODateTime {
  return addMilliseconds(now, -Math.round(limits.rawProviderPayloadRetentionDays * MS_PER_DAY));
}
