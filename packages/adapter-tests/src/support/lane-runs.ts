import type { MikaLaneRunRecord } from "@mika-maintenance/core";
import { at, SECOND } from "./clock.ts";
import { uniqueId } from "./ids.ts";

/** A completed one-second run of `lane` started at `startedAt`, as the runtime records it. */
export function completedLaneRun(
  lane: string,
  startedAt: string,
  id = uniqueId("run"),
): MikaLaneRunRecord {
  return {
    id,
    lane,
    instanceId: "inst-1",
    startedAt,
    finishedAt: at(SECOND, startedAt),
    durationMs: SECOND,
    status: "completed",
    counters: { purged: 2, hasMore: false },
    error: null,
  };
}
