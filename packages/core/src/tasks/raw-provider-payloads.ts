import type { MikaRawPayloadRetentionDays } from "../runner/run-options.ts";
import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";
import { addMilliseconds, type ISODateTime, MS_PER_DAY } from "../time.ts";

/** Drops raw webhook payloads received at or before `now - retentionDays` of their provider. */
export const rawProviderPayloadsTask = defineMaintenanceTask({
  key: "rawProviderPayloads",
  description: "Drops raw webhook payloads older than the retention cutoff.",
  plan(input) {
    const ops = input.repositories?.ops;
    if (!ops) return missingDependency("rawProviderPayloads", "repositories.ops");
    return {
      run: ({ now, limits }) =>
        ops.purgeWebhookRawPayloads({
          now,
          ...retentionCutoffs(now, limits.rawProviderPayloadRetentionDays),
          limit: limits.rawProviderPayloadLimit,
        }),
    };
  },
});

function retentionCutoffs(
  now: ISODateTime,
  retention: MikaRawPayloadRetentionDays,
): { cutoff: ISODateTime; providerCutoffs?: Record<string, ISODateTime> } {
  const cutoffAfter = (days: number) => addMilliseconds(now, -Math.round(days * MS_PER_DAY));
  if (typeof retention === "number") return { cutoff: cutoffAfter(retention) };
  const { default: defaultDays, ...perProvider } = retention;
  const providerCutoffs = Object.fromEntries(
    Object.entries(perProvider).map(([provider, days]) => [provider, cutoffAfter(days)]),
  );
  return { cutoff: cutoffAfter(defaultDays), providerCutoffs };
}
