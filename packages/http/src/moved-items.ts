/**
 * The counters of a pass that count items it moved, by the action they stand for. Other
 * counters (`scanned`, `leased`, `hasMore`, …) describe the work, not its outcome.
 */
export const MIKA_MOVED_COUNTERS: Readonly<Record<string, string>> = {
  sent: "sent",
  reservationsReleased: "released",
  reclaimed: "reclaimed",
  purged: "purged",
  expired: "expired",
  completed: "erased",
  retried: "retried",
};

/** Counters that count items a pass tried and failed to move. */
export const MIKA_ITEM_FAILURE_COUNTERS: readonly string[] = ["failed"];

/** The moved items of one pass, by action (zero counts left out). */
export function movedItemsOf(counters: Record<string, unknown>): Map<string, number> {
  const moved = new Map<string, number>();
  for (const [counter, action] of Object.entries(MIKA_MOVED_COUNTERS)) {
    const value = counters[counter];
    if (typeof value === "number" && value > 0) moved.set(action, (moved.get(action) ?? 0) + value);
  }
  return moved;
}

/** How many items of one pass failed. */
export function failedItemsOf(counters: Record<string, unknown>): number {
  let failed = 0;
  for (const counter of MIKA_ITEM_FAILURE_COUNTERS) {
    const value = counters[counter];
    if (typeof value === "number" && value > 0) failed += value;
  }
  return failed;
}

/** The total of moved items of one pass. */
export function movedTotalOf(counters: Record<string, unknown>): number {
  let total = 0;
  for (const count of movedItemsOf(counters).values()) total += count;
  return total;
}
