import { monitorEventLoopDelay } from "node:perf_hooks";

/** What one contention process did: successes, failures, and how long it went without one. */
export interface ActivityReport {
  successes: number;
  failures: number;
  /** Distinct failure messages (first 200 characters), with counts. */
  failureMessages: Record<string, number>;
  /** The longest stretch between two successes, or from the start to the first, in ms. */
  longestWithoutSuccessMs: number;
  /** Failures after the last success: a process stuck for good shows them here. */
  failuresSinceLastSuccess: number;
  /** The longest time the event loop was blocked, in ms. */
  maxEventLoopDelayMs: number;
}

/** Counts each attempt's outcome for a contention process's final report. */
export function createActivityRecorder() {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let successes = 0;
  let failures = 0;
  let failuresSinceLastSuccess = 0;
  let lastSuccessAt = Date.now();
  let longestWithoutSuccessMs = 0;
  const failureMessages: Record<string, number> = {};
  return {
    /** Runs one unit of work, recording whether it succeeded; never throws. */
    async attempt(work: () => Promise<void>): Promise<void> {
      try {
        await work();
        successes += 1;
        failuresSinceLastSuccess = 0;
        longestWithoutSuccessMs = Math.max(longestWithoutSuccessMs, Date.now() - lastSuccessAt);
        lastSuccessAt = Date.now();
      } catch (error) {
        failures += 1;
        failuresSinceLastSuccess += 1;
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 200);
        failureMessages[message] = (failureMessages[message] ?? 0) + 1;
        // Failures come back at once when stuck; do not spin the CPU the others need.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    report(): ActivityReport {
      delay.disable();
      return {
        successes,
        failures,
        failureMessages,
        longestWithoutSuccessMs: Math.max(longestWithoutSuccessMs, Date.now() - lastSuccessAt),
        failuresSinceLastSuccess,
        maxEventLoopDelayMs: Math.round(delay.max / 1e6),
      };
    },
  };
}
