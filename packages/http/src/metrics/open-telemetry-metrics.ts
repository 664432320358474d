import type { MikaRuntimeEvent } from "@mika-maintenance/core";
import type { BatchObservableResult, Meter, Observable } from "@opentelemetry/api";
import type { MikaMaintenanceSource } from "../maintenance-source.ts";
import { MIKA_DURATION_BUCKETS_SECONDS, MIKA_METRICS } from "./metric-names.ts";
import { passFacts } from "./pass-facts.ts";
import { type MikaGaugeReading, type MikaStoreGauges, storeGauges } from "./store-gauges.ts";

/** The OpenTelemetry side: the same instruments on a host's `Meter`. */
export interface MikaOpenTelemetryMetrics {
  /** Feed the runtime's `onEvent` here. */
  onEvent(event: MikaRuntimeEvent): void;
  /** Removes the observable callbacks from the meter. */
  close(): void;
}

/**
 * Registers the `mika_maintenance_*` instruments on `meter` (from `@opentelemetry/api`'s
 * `metrics.getMeter(…)`, an optional peer): counters and the duration histogram from runtime
 * events, gauges observed from the store when the host's reader collects.
 */
export function createOpenTelemetryMetrics(options: {
  meter: Meter;
  source: MikaMaintenanceSource;
  isLeader?: () => boolean;
  intervalOf?: (lane: string) => number | undefined;
}): MikaOpenTelemetryMetrics {
  const { meter } = options;
  const intervalOf = options.intervalOf ?? (() => undefined);
  const duration = meter.createHistogram(MIKA_METRICS.passDuration, {
    description: "Duration of maintenance passes, by lane and status.",
    unit: "s",
    advice: { explicitBucketBoundaries: MIKA_DURATION_BUCKETS_SECONDS },
  });
  const passes = meter.createCounter(MIKA_METRICS.passes, {
    description: "Maintenance passes run by this process, by lane and status.",
  });
  const passFailures = meter.createCounter(MIKA_METRICS.passFailures, {
    description: "Passes that failed or were abandoned, by lane and status.",
  });
  const moved = meter.createCounter(MIKA_METRICS.itemsMoved, {
    description: "Items moved by maintenance passes, by lane and action.",
  });
  const itemFailures = meter.createCounter(MIKA_METRICS.itemFailures, {
    description: "Items a pass tried and failed to move, by lane.",
  });
  const overruns = meter.createCounter(MIKA_METRICS.laneOverruns, {
    description: "Passes that took longer than their lane's interval or were abandoned.",
  });

  const gaugeKeys: (keyof MikaStoreGauges)[] = [
    "storeUp",
    "leaderPresent",
    "backlogItems",
    "backlogOldestAge",
    "laneOverdue",
    "lanePaused",
    "laneLastStart",
  ];
  const observables = gaugeKeys.map((key) => ({
    key,
    gauge: meter.createObservableGauge(MIKA_METRICS[key], {
      description: `See ${MIKA_METRICS[key]} in docs/operations.md.`,
      ...(key === "backlogOldestAge" ? { unit: "s" } : {}),
    }),
  }));
  const leader = options.isLeader
    ? meter.createObservableGauge(MIKA_METRICS.leader, {
        description: "1 while this process holds the leadership lease.",
      })
    : null;
  const observe = (
    result: BatchObservableResult,
    gauge: Observable,
    readings: MikaGaugeReading[],
  ) => {
    for (const reading of readings) result.observe(gauge, reading.value, reading.labels);
  };
  const callback = async (result: BatchObservableResult) => {
    const gauges = storeGauges(await options.source.snapshot({ fresh: true }));
    for (const { key, gauge } of observables) observe(result, gauge, gauges[key]);
    if (leader && options.isLeader) result.observe(leader, options.isLeader() ? 1 : 0);
  };
  const all = [...observables.map((o) => o.gauge), ...(leader ? [leader] : [])];
  meter.addBatchObservableCallback(callback, all);

  return {
    onEvent(event) {
      if (event.type !== "pass") return;
      const facts = passFacts(event.pass, intervalOf);
      const attributes = { lane: facts.lane, status: facts.status };
      duration.record(facts.seconds, attributes);
      passes.add(1, attributes);
      if (facts.failed) passFailures.add(1, attributes);
      for (const [action, count] of facts.moved) moved.add(count, { lane: facts.lane, action });
      if (facts.failedItems > 0) itemFailures.add(facts.failedItems, { lane: facts.lane });
      if (facts.overran) overruns.add(1, { lane: facts.lane });
    },
    close() {
      meter.removeBatchObservableCallback(callback, all);
    },
  };
}
