import type { MikaMemoryAdapter } from "../../../memory/src/index.ts";

/** How a port misbehaves once a fault is switched on. */
export type FaultMode = "hang" | "throw" | "refuse";

/**
 * Wraps every port of `repositories` so that, once `fail(mode)` is called, every method hangs
 * forever ("hang": a frozen or partitioned process), throws, or answers `null` ("refuse").
 * `fail("hang")` on a runtime's own wrapper is how a test kills that runtime's process.
 */
export function withFaults(repositories: MikaMemoryAdapter, only?: (port: string) => boolean) {
  let mode: FaultMode | null = null;
  const wrapped: Record<string, unknown> = {};
  for (const [portName, port] of Object.entries(repositories)) {
    if (!port || typeof port !== "object" || (only && !only(portName))) {
      wrapped[portName] = port;
      continue;
    }
    wrapped[portName] = new Proxy(port as object, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (mode === "hang") return new Promise(() => {});
          if (mode === "throw") return Promise.reject(new Error(`${portName} is unreachable`));
          if (mode === "refuse") return Promise.resolve(null);
          return Reflect.apply(value, target, args);
        };
      },
    });
  }
  return {
    repositories: wrapped as unknown as MikaMemoryAdapter,
    fail(next: FaultMode) {
      mode = next;
    },
    heal() {
      mode = null;
    },
  };
}
