import type { MikaClock } from "../time.ts";

/**
 * Time and timers for the maintenance runtime. Every wait the runtime makes goes through
 * `sleep`, so a test can swap in `createManualScheduler` and move time by hand.
 */
export interface MikaRuntimeScheduler {
  /** The current instant in epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or early (never rejecting) once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real scheduler: wall-clock (or the injected clock) time and platform timers. */
export function createSystemScheduler(clock?: MikaClock): MikaRuntimeScheduler {
  return {
    now: () => (clock ? clock().getTime() : Date.now()),
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) {
          resolve();
          return;
        }
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
      });
    },
  };
}
