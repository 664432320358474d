import type { MikaRuntimeScheduler } from "./scheduler.ts";

/** An AbortController that also aborts when any parent signal does; `dispose` unlinks it. */
export function linkedAbort(...parents: (AbortSignal | undefined)[]): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  const live = parents.filter((parent): parent is AbortSignal => parent !== undefined);
  const onAbort = (event: Event) => {
    controller.abort((event.target as AbortSignal | null)?.reason);
  };
  for (const parent of live) {
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    parent.addEventListener("abort", onAbort, { once: true });
  }
  return {
    controller,
    dispose: () => {
      for (const parent of live) parent.removeEventListener("abort", onAbort);
    },
  };
}

/** Resolves when `signal` aborts (at once when it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

/** The outcome of racing work against a deadline and a stop signal. */
export type MikaRaceOutcome<T> =
  | { kind: "done"; value: T }
  | { kind: "error"; error: unknown }
  | { kind: "timeout" }
  | { kind: "stopped" };

/**
 * Races `work` against `ms` on the scheduler and, optionally, a stop signal; the timer is
 * always cancelled afterwards so nothing keeps the process alive.
 */
export async function raceWork<T>(
  work: Promise<T>,
  ms: number,
  scheduler: MikaRuntimeScheduler,
  stop?: AbortSignal,
): Promise<MikaRaceOutcome<T>> {
  const cancel = new AbortController();
  let onStop: (() => void) | undefined;
  const contenders: Promise<MikaRaceOutcome<T>>[] = [
    work.then(
      (value) => ({ kind: "done", value }),
      (error: unknown) => ({ kind: "error", error }),
    ),
    scheduler.sleep(ms, cancel.signal).then(() => ({ kind: "timeout" })),
  ];
  if (stop) {
    contenders.push(
      new Promise((resolve) => {
        onStop = () => resolve({ kind: "stopped" });
        if (stop.aborted) onStop();
        else stop.addEventListener("abort", onStop, { once: true });
      }),
    );
  }
  try {
    return await Promise.race(contenders);
  } finally {
    cancel.abort();
    if (stop && onStop) stop.removeEventListener("abort", onStop);
  }
}
