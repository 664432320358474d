import type { MikaRepositories } from "@mika-maintenance/core";

const PORT_NAMES = [
  "ephemeral",
  "ops",
  "account",
  "ledger",
  "session",
  "stock",
  "acpSessions",
  "leadership",
  "runtimeState",
] as const satisfies readonly (keyof MikaRepositories)[];

/** A fault to inject: the next call of `port.method` throws `error` once, before the store. */
export interface InjectedFault {
  port: keyof MikaRepositories;
  method: string;
  error: Error;
}

/** Repositories wrapped so that calls are counted and faults can be injected. */
export interface InstrumentedRepositories {
  repositories: MikaRepositories;
  /** Calls that reached the store and returned, by `port.method`. */
  succeeded(key: string): number;
  /** Calls that threw (injected or real), by `port.method`. */
  threw(key: string): number;
  /** Arms a fault; it fires on the next matching call only. */
  failOnce(fault: InjectedFault): void;
}

/** Wraps every port in a Proxy that counts method calls and fires injected faults. */
export function instrumentRepositories(target: MikaRepositories): InstrumentedRepositories {
  const successes = new Map<string, number>();
  const failures = new Map<string, number>();
  const armed: InjectedFault[] = [];
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  function wrapPort(portName: keyof MikaRepositories, port: object): object {
    return new Proxy(port, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== "function" || typeof property !== "string") return value;
        const key = `${portName}.${property}`;
        return async (...args: unknown[]) => {
          const faultIndex = armed.findIndex((f) => f.port === portName && f.method === property);
          if (faultIndex >= 0) {
            const [fault] = armed.splice(faultIndex, 1);
            bump(failures, key);
            throw fault!.error;
          }
          try {
            const result = await value.apply(object, args);
            bump(successes, key);
            return result;
          } catch (error) {
            bump(failures, key);
            throw error;
          }
        };
      },
    });
  }

  const unwrapped = new WeakMap<object, object>();
  function wrapPorts<T extends object>(ports: T): T {
    const wrapped: Record<string, unknown> = { ...(ports as Record<string, unknown>) };
    for (const name of PORT_NAMES) {
      const port = (ports as Record<string, unknown>)[name];
      if (!port || typeof port !== "object") continue;
      const proxy = wrapPort(name, port);
      unwrapped.set(proxy, port);
      wrapped[name] = proxy;
    }
    return wrapped as T;
  }

  // Ports the store does not provide stay missing, so the runner reports them as skipped.
  const ports = Object.fromEntries(
    PORT_NAMES.filter((name) => target[name] && typeof target[name] === "object").map((name) => [
      name,
      target[name],
    ]),
  ) as unknown as MikaRepositories;
  const repositories = wrapPorts(ports);
  const store = target.store;
  if (store) {
    // The same store, seeing through the wrappers; a transaction's ports are wrapped too, so a
    // fault armed for `ledger.anonymizeOrdersForAccountDelete` fires inside a transaction.
    const transaction = store.transaction?.bind(store);
    repositories.store = {
      serves: (port) => store.serves(unwrapped.get(port as object) ?? port),
      ...(store.probeDueWork ? { probeDueWork: store.probeDueWork.bind(store) } : {}),
      ...(transaction
        ? { transaction: (work) => transaction((bound) => work(wrapPorts(bound))) }
        : {}),
    };
  }

  return {
    repositories,
    succeeded: (key) => successes.get(key) ?? 0,
    threw: (key) => failures.get(key) ?? 0,
    failOnce: (fault) => armed.push(fault),
  };
}
