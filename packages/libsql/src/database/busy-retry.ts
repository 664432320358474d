import { isBusyError } from "./map-error.ts";

/**
 * How long SQLite's own busy handler may wait inside one statement. libSQL runs local
 * statements synchronously, so that wait blocks the event loop (timers, leadership renewal);
 * anything longer is waited for by `retryWhileBusy`, between attempts, with the loop free.
 */
export const NATIVE_BUSY_WAIT_MS = 10;

const FIRST_DELAY_MS = 2;
const LONGEST_DELAY_MS = 50;

/**
 * Runs `attempt` again while it fails with SQLITE_BUSY, for up to `budgetMs`, with jittered
 * exponential backoff between attempts; then throws the last error. Safe because every
 * attempt is a whole transaction (or statements that are each safe to repeat), and a locked
 * attempt changed nothing once the connection it ran on was reset.
 */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let ceilingMs = FIRST_DELAY_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw error;
      // Full jitter: processes that collided do not come back in step.
      const delayMs = Math.min(remainingMs, 1 + Math.random() * ceilingMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      ceilingMs = Math.min(ceilingMs * 2, LONGEST_DELAY_MS);
    }
  }
}
