import type { MikaMaintenanceSnapshot } from "../maintenance-source.ts";

/** A gauge reading: labels and value. */
export interface MikaGaugeReading {
  labels: Record<string, string>;
  value: number;
}

/** The gauges read from the store at scrape time, by metric key. */
export interface MikaStoreGauges {
  storeUp: MikaGaugeReading[];
  leaderPresent: MikaGaugeReading[];
  backlogItems: MikaGaugeReading[];
  backlogOldestAge: MikaGaugeReading[];
  laneOverdue: MikaGaugeReading[];
  lanePaused: MikaGaugeReading[];
  laneLastStart: MikaGaugeReading[];
}

/** Turns a snapshot into gauge readings (a part that could not be read yields none). */
export function storeGauges(snapshot: MikaMaintenanceSnapshot): MikaStoreGauges {
  const { status } = snapshot;
  const lanes = status.lanesError ? null : status.lanes;
  const leader = status.leader && "error" in status.leader ? undefined : status.leader;
  const up = lanes !== null && leader !== undefined;
  const gauges: MikaStoreGauges = {
    storeUp: [{ labels: {}, value: up ? 1 : 0 }],
    leaderPresent: leader === undefined ? [] : [{ labels: {}, value: leader?.live ? 1 : 0 }],
    backlogItems: [],
    backlogOldestAge: [],
    laneOverdue: [],
    lanePaused: [],
    laneLastStart: [],
  };
  for (const [backlog, figure] of Object.entries(status.backlog)) {
    if ("error" in figure) continue;
    gauges.backlogItems.push({ labels: { backlog }, value: figure.count });
    gauges.backlogOldestAge.push({
      labels: { backlog },
      value: figure.oldestAgeMs === null ? 0 : figure.oldestAgeMs / 1_000,
    });
  }
  for (const lane of lanes ?? []) {
    const labels = { lane: lane.lane };
    gauges.laneOverdue.push({ labels, value: lane.health === "overdue" ? 1 : 0 });
    gauges.lanePaused.push({ labels, value: lane.paused ? 1 : 0 });
    if (lane.lastStartedAt) {
      gauges.laneLastStart.push({ labels, value: Date.parse(lane.lastStartedAt) / 1_000 });
    }
  }
  return gauges;
}
