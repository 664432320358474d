import { errorMessage } from "../errors.ts";
import { redactSecretFields } from "../secrets/redact-secrets.ts";
import type {
  MikaRuntimeEvent,
  MikaRuntimeLogger,
  MikaRuntimePassEvent,
} from "./runtime-events.ts";

/** Fans runtime events out to the logger, `onPass` and `onEvent`; a throwing hook is logged. */
export interface MikaRuntimeReporter {
  pass(event: MikaRuntimePassEvent): void;
  event(event: Exclude<MikaRuntimeEvent, { type: "pass" }>): void;
}

/** Creates the reporter of one runtime. */
export function createRuntimeReporter(options: {
  logger: MikaRuntimeLogger | undefined;
  onPass: ((event: MikaRuntimePassEvent) => void) | undefined;
  onEvent: ((event: MikaRuntimeEvent) => void) | undefined;
  /** The runtime's own listener, called before the host's hooks. */
  listen?: (event: MikaRuntimeEvent) => void;
}): MikaRuntimeReporter {
  const { logger, onPass, onEvent, listen } = options;

  function callHook(name: string, hook: () => void): void {
    try {
      hook();
    } catch (error) {
      logger?.error("runtime hook threw", { hook: name, error: errorMessage(error) });
    }
  }

  return {
    pass(event) {
      if (logger) {
        const { lane, status, durationMs, counters, hasMore, trigger, instanceId } = event;
        const fields: Record<string, unknown> = {
          lane,
          status,
          durationMs,
          counters,
          hasMore,
          trigger,
          instanceId,
        };
        if (event.error !== undefined) fields.error = event.error;
        if (event.reason !== undefined) fields.reason = event.reason;
        const safe = redactSecretFields(fields);
        if (status === "failed" || status === "abandoned") logger.warn("maintenance pass", safe);
        else if (isIdle(event)) logger.debug?.("maintenance pass", safe);
        else logger.info("maintenance pass", safe);
      }
      if (onPass) callHook("onPass", () => onPass(event));
      if (onEvent) callHook("onEvent", () => onEvent({ type: "pass", pass: event }));
    },
    event(event) {
      listen?.(event);
      if (logger) {
        const { type, ...raw } = event;
        // A host's own logger may not mask anything; driver errors can quote a URL.
        const fields = redactSecretFields(raw);
        if (type === "leadership.lost") logger.warn(type, fields);
        else if (type === "runtime.error") logger.error(type, fields);
        else if (type === "heartbeat") logger.debug?.(type, fields);
        else logger.info(type, fields);
      }
      if (onEvent) callHook("onEvent", () => onEvent(event));
    },
  };
}

/** A completed pass that moved nothing and left nothing behind: routine, logged at debug. */
function isIdle(event: MikaRuntimePassEvent): boolean {
  if (event.status !== "completed" || event.hasMore) return false;
  return Object.entries(event.counters).every(
    ([key, value]) => typeof value !== "number" || value === 0 || /scanned$/i.test(key),
  );
}
