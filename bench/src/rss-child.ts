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
  /** `process.resourceUsage().maxRSS`, in kilobytes. */
  maxRssKb: number;
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
const output: RssChildOutput = { purged, ms, maxRssKb: process.resourceUsage().maxRSS };
console.log(JSON.stringify(output));
