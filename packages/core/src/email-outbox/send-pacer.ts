import type { MikaRuntimeScheduler } from "../runtime/scheduler.ts";

/** Spaces the starts of sends so one process never exceeds a provider's rate. */
export interface MikaSendPacer {
  /**
   * Waits for the next free send slot. Resolves `false` when `signal` aborted first: the
   * caller must not send then.
   */
  nextSlot(signal?: AbortSignal): Promise<boolean>;
}

/**
 * A pacer for `maxPerSecond` sends per second: each start is at least `1000 / maxPerSecond`
 * ms after the one before, measured on `scheduler` (so a test can move time by hand). Its
 * state lives as long as the runner, so back-to-back runs share one budget.
 */
export function createSendPacer(
  maxPerSecond: number | undefined,
  scheduler: MikaRuntimeScheduler,
): MikaSendPacer {
  if (maxPerSecond === undefined) return { nextSlot: async (signal) => !signal?.aborted };
  const intervalMs = 1000 / maxPerSecond;
  let nextAt = Number.NEGATIVE_INFINITY;
  return {
    async nextSlot(signal) {
      if (signal?.aborted) return false;
      const now = scheduler.now();
      const slot = Math.max(now, nextAt);
      nextAt = slot + intervalMs;
      if (slot > now) await scheduler.sleep(slot - now, signal);
      return !signal?.aborted;
    },
  };
}
