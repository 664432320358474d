import { readFileSync } from "node:fs";
import { openTargetAdapter } from "./adapters/open-target.ts";
import type { StoreTarget } from "./adapters/store.ts";

/** What the parent passes to the child: where to purge, at which instant, in which batches. */
export interface RssChildInput {
  target: StoreTarget;
  now: string;
  limit: number;
}

/** What the child prints as its last stdout line. */
export interface RssChildOutput {
  purged: number;
  ms: number;
  /** This process's own peak RSS in kilobytes (see `ownPeakRssKb`). */
  maxRssKb: number;
  /** `process.resourceUsage().maxRSS` as reported, in kilobytes. */
  resourceUsageMaxRssKb: number;
}

/**
 * Peak RSS of this process alone. On Linux `getrusage` carries the parent's RSS at fork time
 * into the child's `maxRSS` (it is kept across fork and exec), so a big parent would hide the
 * child's figure; `VmHWM` is the high-water mark of this process's own address space.
 */
function ownPeakRssKb(): number {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS;
}

// Runs in its own process so its peak RSS belongs to the purge alone.
const input = JSON.parse(process.argv[2] ?? "{}") as RssChildInput;
const adapter = await openTargetAdapter(input.target);
const started = performance.now();
let purged = 0;
for (;;) {
  const result = await adapter.ephemeral.purgeExpired({ now: input.now, limit: input.limit });
  purged += result.purged;
  if (!result.hasMore || result.purged === 0) break;
}
const ms = performance.now() - started;
await adapter.close();
const output: RssChildOutput = {
  purged,
  ms,
  maxRssKb: ownPeakRssKb(),
  resourceUsageMaxRssKb: process.resourceUsage().maxRSS,
};
console.log(JSON.stringify(output));
