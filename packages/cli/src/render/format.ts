import type { MikaLaneKey, MikaMaintenanceTaskKey } from "@mika-maintenance/core";

/** `850 ms`, `4.2 s`, `3 min 4 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return abs % 1_000 === 0 ? `${abs / 1_000} s` : `${(abs / 1_000).toFixed(1)} s`;
  const s = Math.round(abs / 1_000);
  if (s < 3_600) return both(Math.floor(s / 60), "min", s % 60, "s");
  const m = Math.round(s / 60);
  if (m < 1_440) return both(Math.floor(m / 60), "h", m % 60, "min");
  const h = Math.round(m / 60);
  return both(Math.floor(h / 24), "d", h % 24, "h");
}

function both(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

/** `4.2 s ago`, or `-` when there is no instant. */
export function formatAge(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "-" : `${formatDuration(Math.max(0, ms))} ago`;
}

type Counters = Record<string, number | boolean | unknown>;

const num = (counters: Counters, key: string): number => {
  const value = counters[key];
  return typeof value === "number" ? value : 0;
};

const PHRASES: Record<MikaMaintenanceTaskKey, (c: Counters) => string[]> = {
  emailOutbox: (c) => [
    `sent ${num(c, "sent")}`,
    ...(num(c, "failed") ? [`failed ${num(c, "failed")}`] : []),
    ...(num(c, "skipped") ? [`skipped ${num(c, "skipped")}`] : []),
    ...(num(c, "leaseMissed") ? [`lease missed ${num(c, "leaseMissed")}`] : []),
  ],
  stuckEmails: (c) => [`reclaimed ${num(c, "reclaimed")} stuck emails`],
  rawProviderPayloads: (c) => [`purged ${num(c, "purged")} raw payloads`],
  acpSessions: (c) => [`expired ${num(c, "expired")}`, `purged ${num(c, "purged")} sessions`],
  stockReservations: (c) => [
    `released ${num(c, "reservationsReleased")} reservations on ${num(c, "stockItems")} items`,
  ],
  ephemeralRecords: (c) => [`purged ${num(c, "purged")} expired records`],
  accountDeleteRequests: (c) => [
    `completed ${num(c, "completed")}`,
    `failed ${num(c, "failed")}`,
    ...(num(c, "retrying") ? [`retrying ${num(c, "retrying")}`] : []),
  ],
  stuckWorkflows: (c) => [`reclaimed ${num(c, "reclaimed")} stuck workflows`],
  webhookRetries: (c) => [
    `replayed ${num(c, "retried")} webhooks`,
    ...(num(c, "failed") ? [`failed ${num(c, "failed")}`] : []),
    ...(num(c, "skippedExhausted") ? [`exhausted ${num(c, "skippedExhausted")}`] : []),
    ...(num(c, "missingSubject") ? [`no subject ${num(c, "missingSubject")}`] : []),
  ],
};

/** A host-defined task's counters as `name=value` pairs (its own words are not known here). */
function describeCounters(counters: Counters): string[] {
  return Object.entries(counters)
    .filter(([name, value]) => name !== "hasMore" && typeof value === "number")
    .map(([name, value]) => `${name}=${value}`);
}

/**
 * What a pass moved, in words (`released 80 reservations on 12 items, more left`); a
 * host-defined lane's counters as `name=value`.
 */
export function describeMoved(lane: MikaLaneKey, counters: Counters): string {
  const phrase = (PHRASES as Partial<Record<string, (c: Counters) => string[]>>)[lane];
  const parts = phrase ? phrase(counters) : describeCounters(counters);
  if (counters.hasMore === true) parts.push("more left");
  return parts.join(", ");
}

const MOVEMENT_KEYS = [
  "sent",
  "failed",
  "skipped",
  "reclaimed",
  "purged",
  "expired",
  "reservationsReleased",
  "completed",
  "retrying",
  "retried",
  "skippedExhausted",
  "missingSubject",
];

/** How many rows a pass changed, to tell a busy sweep from a quiet one. */
export function movedCount(counters: Counters): number {
  return MOVEMENT_KEYS.reduce((sum, key) => sum + num(counters, key), 0);
}
