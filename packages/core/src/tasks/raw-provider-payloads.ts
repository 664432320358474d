import type { MikaRawPayloadRetentionDays } from "../runner/run-options.ts";
import { defineMaintenanceTask } from "../runner/task.ts";
import { addMilliseconds, type ISODateTime, MS_PER_DAY } from "../time.ts";
import { planOnOps } from "./plan-on-ops.ts";

/** Drops raw webhook payloads received at or before `now - retentionDays` of their provider. */
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
  plan: (input) =>
    planOnOps("rawProviderPayloads", input, (ops, { now, limits }) =>
      ops.purgeWebhookRawPayloads({
        now,
        ...retentionCutoffs(now, retentionOf(limits)),
        limit: limits.rawProviderPayloadLimit,
      }),
    ),
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

/**
 * The latest instant any provider's raw payloads are past retention: the due-work probe asks
 * with it, so a provider with a shorter retention is never reported idle.
 */
export function rawPayloadCutoff(
  now: ISODateTime,
  limits: Readonly<Record<string, number>>,
): ISODateTime {
  const { cutoff, providerCutoffs = {} } = retentionCutoffs(now, retentionOf(limits));
  // Canonical UTC timestamps sort as text: the last is the latest.
  return [cutoff, ...Object.values(providerCutoffs)].sort().at(-1) ?? cutoff;
}

/**
 * The retention as validated by `resolveRunLimits`: one number or a per-provider map. The task
 * context types every limit as a number, which this one limit widens.
 */
function retentionOf(limits: Readonly<Record<string, number>>): MikaRawPayloadRetentionDays {
  return limits.rawProviderPayloadRetentionDays as MikaRawPayloadRetentionDays;
}
