import type { MikaMaintenanceSummary, MikaTaskSummary } from "./summarize.ts";

/** A log line's fields with scalar values only, so every console prints them in full. */
export type MikaFlatSummary = Record<string, string | number | boolean>;

/**
 * Flattens a run summary into one level of scalar fields: `now`, `ok`, comma lists of `failed`,
 * `skipped` and `notStarted` tasks, and one readable line per task such as
 * `completed in 12 ms: reservationsReleased=2 stockItems=1`. Node's console prints nested
 * objects past depth 2 as `[Object]`; this shape never nests.
 */
export function flattenMaintenanceSummary(summary: MikaMaintenanceSummary): MikaFlatSummary {
  const flat: MikaFlatSummary = {
    now: summary.now,
    ok: summary.ok,
    failed: summary.failed.join(", ") || "none",
    skipped: summary.skipped.join(", ") || "none",
    notStarted: summary.notStarted.join(", ") || "none",
  };
  for (const [task, outcome] of Object.entries(summary.tasks)) {
    if (outcome) flat[task] = describeTaskSummary(outcome);
  }
  return flat;
}

/** One task's summary as a single readable line. */
export function describeTaskSummary(outcome: MikaTaskSummary): string {
  const duration =
    outcome.durationMs === undefined ? "" : ` in ${Math.round(outcome.durationMs)} ms`;
  if (outcome.status === "skipped") return `skipped: ${outcome.reason ?? "no reason given"}`;
  if (outcome.status === "failed") return `failed${duration}: ${outcome.error ?? "unknown error"}`;
  const counters = Object.entries(outcome.counters ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join(" ");
  return `completed${duration}${counters ? `: ${counters}` : ""}`;
}
