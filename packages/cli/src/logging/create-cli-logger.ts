import type { MikaRuntimeLogger } from "@mika-maintenance/core";
import { redactSecretFields, redactSecrets } from "@mika-maintenance/core";
import { type DestinationStream, type Logger, pino } from "pino";
import { formatLogLine } from "./format-log-line.ts";

/** Log levels `--log-level` accepts (pino's). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** A `--log-level` value. */
export type MikaCliLogLevel = (typeof LOG_LEVELS)[number];

/** Log line formats: JSON (production, a log shipper) or one readable line (a terminal). */
export const LOG_FORMATS = ["json", "pretty"] as const;

/** A `--log-format` value. */
export type MikaCliLogFormat = (typeof LOG_FORMATS)[number];

/** The CLI's logger: pino for the CLI's own lines, and the same logger as core's interface. */
export interface MikaCliLogger {
  pino: Logger;
  /** What `createMaintenanceRuntime({ logger })` takes. */
  runtime: MikaRuntimeLogger;
}

/**
 * A pino logger writing one line per record through `write` (stdout, which stops writing once
 * its reader has gone): JSON with an ISO `time` and a `level` label, or on a terminal one
 * readable line. Secrets are masked twice over: by key (`redact`) and inside every string.
 */
export function createCliLogger(options: {
  level: MikaCliLogLevel;
  format: MikaCliLogFormat;
  color: boolean;
  write: (line: string) => void;
}): MikaCliLogger {
  const destination: DestinationStream = {
    write(line: string) {
      const text = line.endsWith("\n") ? line.slice(0, -1) : line;
      options.write(options.format === "pretty" ? formatLogLine(text, options.color) : text);
    },
  };
  const logger = pino(
    {
      level: options.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ["password", "authToken", "token", "*.password", "*.authToken", "*.token"],
        censor: "***",
      },
      hooks: {
        logMethod(args, method) {
          const safe = args.map((arg) =>
            typeof arg === "string" ? redactSecrets(arg) : redactSecretFields(arg),
          ) as typeof args;
          method.apply(this, safe);
        },
      },
    },
    destination,
  );
  return {
    pino: logger,
    runtime: {
      debug: (message, fields) => logger.debug(fields, message),
      info: (message, fields) => logger.info(fields, message),
      warn: (message, fields) => logger.warn(fields, message),
      error: (message, fields) => logger.error(fields, message),
    },
  };
}
