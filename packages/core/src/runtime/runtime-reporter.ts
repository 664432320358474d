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
        const level = status === "failed" || status === "abandoned" ? "warn" : "info";
        logger[level]("maintenance pass", redactSecretFields(fields));
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
        else if (type !== "heartbeat") logger.info(type, fields);
      }
      if (onEvent) callHook("onEvent", () => onEvent(event));
    },
  };
}
