import { MikaMaintenanceOptionsError } from "../errors.ts";
import { MIKA_ISO_DATE_TIME_FORMAT, parseIsoDateTime } from "../time.ts";
import { describeValue } from "../validation/describe-value.ts";
import {
  type MikaOptionKeyTable,
  rejectUnknownOptions,
  requireOptionsObject,
  wholeNumberInRange,
} from "../validation/option-keys.ts";
import type { MikaRuntimeScheduler } from "./scheduler.ts";

/** A scheduler whose time only moves when a test calls `advance`. */
export interface MikaManualScheduler extends MikaRuntimeScheduler {
  /**
   * Moves time forward by `ms`, waking each sleeper at its own instant in order and letting
   * the work it starts settle before the next one wakes.
   */
  advance(ms: number): Promise<void>;
  /** Lets pending promise chains run without moving time. */
  settle(): Promise<void>;
  /** How many sleepers are waiting. */
  readonly pending: number;
}

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

/** Options of `createManualScheduler`. */
export interface MikaManualSchedulerOptions {
  /** The instant the clock starts at: a Date, epoch milliseconds or a strict ISO-8601 string. */
  start?: Date | string | number;
  /** Event-loop turns `settle()` yields. Default 3. */
  settleTurns?: number;
}

/** Every key of `createManualScheduler`'s options. */
export const MIKA_MANUAL_SCHEDULER_OPTION_KEYS = {
  start: true,
  settleTurns: true,
} as const satisfies MikaOptionKeyTable<MikaManualSchedulerOptions>;

/**
 * Creates a manual scheduler starting at `start` (default 2026-01-01T00:00:00Z). `settle`
 * yields to the event loop a few turns so in-flight store calls finish; it never stands in
 * for time passing.
 */
export function createManualScheduler(
  options: MikaManualSchedulerOptions = {},
): MikaManualScheduler {
  rejectUnknownOptions(
    "createManualScheduler",
    requireOptionsObject("options", options),
    MIKA_MANUAL_SCHEDULER_OPTION_KEYS,
  );
  let current = toEpoch(options.start ?? "2026-01-01T00:00:00.000Z");
  const settleTurns =
    options.settleTurns === undefined
      ? 3
      : wholeNumberInRange("settleTurns", options.settleTurns, 0, 1_000);
  let seq = 0;
  const sleepers: Sleeper[] = [];

  async function settle(): Promise<void> {
    for (let turn = 0; turn < settleTurns; turn++) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  }

  function remove(sleeper: Sleeper): void {
    const index = sleepers.indexOf(sleeper);
    if (index >= 0) sleepers.splice(index, 1);
  }

  return {
    now: () => current,
    get pending() {
      return sleepers.length;
    },
    settle,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        // Nothing to wait for: a zero wait must not depend on the next `advance`.
        if (signal?.aborted || ms <= 0) {
          resolve();
          return;
        }
        const sleeper: Sleeper = {
          at: current + ms,
          seq: seq++,
          wake: () => {
            remove(sleeper);
            signal?.removeEventListener("abort", sleeper.wake);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener("abort", sleeper.wake, { once: true });
      });
    },
    async advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${String(ms)}.`);
      }
      const target = current + ms;
      await settle();
      for (;;) {
        const next = earliest(sleepers, target);
        if (!next) break;
        current = Math.max(current, next.at);
        next.wake();
        await settle();
      }
      current = target;
      await settle();
    },
  };
}

function earliest(sleepers: readonly Sleeper[], limit: number): Sleeper | undefined {
  let best: Sleeper | undefined;
  for (const sleeper of sleepers) {
    if (sleeper.at > limit) continue;
    if (!best || sleeper.at < best.at || (sleeper.at === best.at && sleeper.seq < best.seq)) {
      best = sleeper;
    }
  }
  return best;
}

function toEpoch(value: Date | string | number): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === "number"
        ? value
        : Date.parse(parseIsoDateTime(value) ?? "");
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    throw new MikaMaintenanceOptionsError(
      "start",
      `start must be a valid Date, epoch milliseconds or ${MIKA_ISO_DATE_TIME_FORMAT}; got ${describeValue(value)}.`,
    );
  }
  return ms;
}

// The largest epoch value a Date can hold.
const MAX_EPOCH_MS = 8.64e15;
