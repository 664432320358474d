import type { MikaRuntimePassEvent } from "@mika-maintenance/core";
import { failedItemsOf, movedItemsOf } from "@mika-maintenance/core";

/** What one pass adds to the metrics, whichever backend records it. */
export interface MikaPassFacts {
  lane: string;
  status: string;
  seconds: number;
  moved: Map<string, number>;
  failedItems: number;
  failed: boolean;
  /** The pass took longer than its lane's interval, or was abandoned on its timeout. */
  overran: boolean;
}

/** Reduces a pass event to metric facts; `intervalOf` gives a lane's interval when known. */
export function passFacts(
  pass: MikaRuntimePassEvent,
  intervalOf: (lane: string) => number | undefined,
): MikaPassFacts {
  const interval = intervalOf(pass.lane);
  return {
    lane: pass.lane,
    status: pass.status,
    seconds: pass.durationMs / 1_000,
    moved: movedItemsOf(pass.counters),
    failedItems: failedItemsOf(pass.counters),
    failed: pass.status === "failed" || pass.status === "abandoned",
    overran: pass.status === "abandoned" || (interval !== undefined && pass.durationMs > interval),
  };
}
