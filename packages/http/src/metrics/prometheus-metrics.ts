import type { MikaRuntimeEvent } from "@mika-maintenance/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { MikaMaintenanceSource } from "../maintenance-source.ts";
import { MIKA_DURATION_BUCKETS_SECONDS, MIKA_METRICS } from "./metric-names.ts";
import { passFacts } from "./pass-facts.ts";
import { type MikaStoreGauges, storeGauges } from "./store-gauges.ts";

/** The Prometheus side: a registry to scrape and the runtime events that feed it. */
export interface MikaPrometheusMetrics {
  readonly registry: Registry;
  /** Feed the runtime's `onEvent` here. */
  onEvent(event: MikaRuntimeEvent): void;
  /** The exposition text and its content type, as `/metrics` serves it. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

/** Options of `createPrometheusMetrics`. */
export interface MikaPrometheusMetricsOptions {
  source: MikaMaintenanceSource;
  /** Default: a registry of its own (one per process, as prom-client advises). */
  registry?: Registry;
  /** True while this process leads; without it `mika_maintenance_leader` is not exported. */
  isLeader?: () => boolean;
  /** Each lane's interval, for the overrun counter. */
  intervalOf?: (lane: string) => number | undefined;
}

/**
 * Registers the `mika_maintenance_*` instruments: pass counters and durations from runtime
 * events, and backlog, leader and lane gauges read from the store at scrape time.
 */
export function createPrometheusMetrics(
  options: MikaPrometheusMetricsOptions,
): MikaPrometheusMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  const intervalOf = options.intervalOf ?? (() => undefined);

  const duration = new Histogram({
    name: MIKA_METRICS.passDuration,
    help: "Duration of maintenance passes, by lane and status.",
    labelNames: ["lane", "status"],
    buckets: MIKA_DURATION_BUCKETS_SECONDS,
    registers,
  });
  const counter = <Label extends string>(name: string, help: string, labelNames: Label[]) =>
    new Counter<Label>({ name, help, labelNames, registers });
  const passes = counter(
    MIKA_METRICS.passes,
    "Maintenance passes run by this process, by lane and status.",
    ["lane", "status"],
  );
  const passFailures = counter(
    MIKA_METRICS.passFailures,
    "Passes that failed or were abandoned, by lane and status.",
    ["lane", "status"],
  );
  const moved = counter(
    MIKA_METRICS.itemsMoved,
    "Items moved by maintenance passes (sent, released, purged, …), by lane and action.",
    ["lane", "action"],
  );
  const itemFailures = counter(
    MIKA_METRICS.itemFailures,
    "Items a pass tried and failed to move (e.g. a send that failed), by lane.",
    ["lane"],
  );
  const overruns = counter(
    MIKA_METRICS.laneOverruns,
    "Passes that took longer than their lane's interval or were abandoned on timeout.",
    ["lane"],
  );

  // One store read per scrape, shared by every gauge below.
  let pending: { at: number; gauges: Promise<MikaStoreGauges> } | null = null;
  function gauges(): Promise<MikaStoreGauges> {
    const now = Date.now();
    if (!pending || now - pending.at > 500) {
      pending = { at: now, gauges: options.source.snapshot({ fresh: true }).then(storeGauges) };
    }
    return pending.gauges;
  }
  const storeGauge = (key: keyof MikaStoreGauges, name: string, help: string, labels: string[]) =>
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers,
      async collect() {
        const readings = (await gauges())[key];
        this.reset();
        for (const reading of readings) this.set(reading.labels, reading.value);
      },
    });
  storeGauge("storeUp", MIKA_METRICS.storeUp, "1 when the store answered the last read.", []);
  storeGauge(
    "leaderPresent",
    MIKA_METRICS.leaderPresent,
    "1 when a live leadership lease exists (some replica leads).",
    [],
  );
  storeGauge("backlogItems", MIKA_METRICS.backlogItems, "Items waiting, by backlog.", ["backlog"]);
  storeGauge(
    "backlogOldestAge",
    MIKA_METRICS.backlogOldestAge,
    "Age of the oldest waiting item, by backlog (0 when empty).",
    ["backlog"],
  );
  storeGauge(
    "laneOverdue",
    MIKA_METRICS.laneOverdue,
    "1 when no pass of the lane started for 2 × its interval + 30 s.",
    ["lane"],
  );
  storeGauge("lanePaused", MIKA_METRICS.lanePaused, "1 while an operator has the lane paused.", [
    "lane",
  ]);
  storeGauge(
    "laneLastStart",
    MIKA_METRICS.laneLastStart,
    "When the lane's last pass started (Unix seconds), by any process.",
    ["lane"],
  );
  if (options.isLeader) {
    const isLeader = options.isLeader;
    new Gauge({
      name: MIKA_METRICS.leader,
      help: "1 while this process holds the leadership lease.",
      registers,
      collect() {
        this.set(isLeader() ? 1 : 0);
      },
    });
  }

  return {
    registry,
    onEvent(event) {
      if (event.type !== "pass") return;
      const facts = passFacts(event.pass, intervalOf);
      const labels = { lane: facts.lane, status: facts.status };
      duration.observe(labels, facts.seconds);
      passes.inc(labels);
      if (facts.failed) passFailures.inc(labels);
      for (const [action, count] of facts.moved) moved.inc({ lane: facts.lane, action }, count);
      if (facts.failedItems > 0) itemFailures.inc({ lane: facts.lane }, facts.failedItems);
      if (facts.overran) overruns.inc({ lane: facts.lane });
    },
    async scrape() {
      pending = null;
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
