// The memory adapter is imported by path: a core → memory package edge would close a
// dependency cycle (memory depends on core) that turbo refuses to build.
import { createMemoryRepositories, type MikaMemoryAdapter } from "../../../memory/src/index.ts";
import {
  createMaintenanceRuntime,
  createManualScheduler,
  createMikaEmailOutboxRunner,
  type MikaMaintenanceRuntime,
  type MikaMaintenanceRuntimeInput,
  type MikaManualScheduler,
  type MikaOutgoingEmail,
  type MikaRuntimeEvent,
  type MikaRuntimePassEvent,
} from "../../src/index.ts";

export const START = "2026-03-01T10:00:00.000Z";

/** Every runtime event, plus promises for the next matching one (typed signals, no sleeps). */
export interface Signals {
  readonly events: MikaRuntimeEvent[];
  record(event: MikaRuntimeEvent): void;
  passes(lane?: string, instanceId?: string): MikaRuntimePassEvent[];
  next<T extends MikaRuntimeEvent["type"]>(
    type: T,
    match?: (event: Extract<MikaRuntimeEvent, { type: T }>) => boolean,
  ): Promise<Extract<MikaRuntimeEvent, { type: T }>>;
}

export function createSignals(): Signals {
  const events: MikaRuntimeEvent[] = [];
  const waiters: { test: (event: MikaRuntimeEvent) => boolean; resolve: (e: never) => void }[] = [];
  return {
    events,
    record(event) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.test(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event as never);
        }
      }
    },
    passes(lane, instanceId) {
      return events
        .filter((event) => event.type === "pass")
        .map((event) => (event as Extract<MikaRuntimeEvent, { type: "pass" }>).pass)
        .filter(
          (pass) =>
            (!lane || pass.lane === lane) && (!instanceId || pass.instanceId === instanceId),
        );
    },
    next(type, match) {
      return new Promise((resolve) => {
        waiters.push({
          test: (event) => event.type === type && (!match || match(event as never)),
          resolve: resolve as (e: never) => void,
        });
      });
    },
  };
}

/** A sender that records every message and can be held to stop mid-batch. */
export function createRecordingSender() {
  const sent: MikaOutgoingEmail[] = [];
  let gate: Promise<void> | null = null;
  let openGate: (() => void) | null = null;
  let onSend: (() => void) | null = null;
  return {
    sent,
    /** Makes the next sends wait until `release()`; resolves once a send is waiting. */
    hold(): Promise<void> {
      gate = new Promise((resolve) => {
        openGate = resolve;
      });
      return new Promise((resolve) => {
        onSend = resolve;
      });
    },
    release() {
      openGate?.();
      gate = null;
    },
    async send(message: MikaOutgoingEmail) {
      onSend?.();
      onSend = null;
      if (gate) await gate;
      sent.push(message);
      return { providerMessageId: `pm-${message.emailId}` };
    },
  };
}

export interface RuntimeFixture {
  repositories: MikaMemoryAdapter;
  sender: ReturnType<typeof createRecordingSender>;
  scheduler: MikaManualScheduler;
  signals: Signals;
  create(overrides?: Partial<MikaMaintenanceRuntimeInput>): MikaMaintenanceRuntime;
}

/** One store, one manual clock, and a factory for runtimes over them. */
export function createFixture(
  options: { repositories?: MikaMemoryAdapter; withSender?: boolean } = {},
): RuntimeFixture {
  const repositories = options.repositories ?? createMemoryRepositories();
  const scheduler = createManualScheduler({ start: START });
  const signals = createSignals();
  const sender = createRecordingSender();
  return {
    repositories,
    sender,
    scheduler,
    signals,
    create(overrides = {}) {
      const emailOutboxRunner =
        options.withSender === false
          ? undefined
          : createMikaEmailOutboxRunner({ repositories, sender: sender.send });
      return createMaintenanceRuntime({
        repositories,
        emailOutboxRunner,
        // A host's replay driver, so every built-in lane completes.
        api: { admin: { webhookReplay: async () => ({ ok: true }) } },
        scheduler,
        random: () => 0.5,
        logger: false,
        onEvent: signals.record,
        ...overrides,
      });
    },
  };
}

/** Milliseconds since START on the manual clock. */
export function sinceStart(iso: string): number {
  return Date.parse(iso) - Date.parse(START);
}

export { createMemoryRepositories };

/**
 * Aborts and waits for `run()` to resolve, moving manual time 1 s at a time, because a
 * shutdown against a frozen store waits out its bounded store calls on the runtime's clock.
 */
export async function stopRuntimes(
  scheduler: MikaManualScheduler,
  stop: AbortController,
  runs: Promise<unknown>[],
  maxMs = 120_000,
): Promise<number> {
  stop.abort();
  let done = false;
  const all = Promise.all(runs).then(() => {
    done = true;
  });
  let waited = 0;
  await scheduler.settle();
  while (!done && waited < maxMs) {
    await scheduler.advance(1_000);
    waited += 1_000;
  }
  await all;
  return waited;
}
