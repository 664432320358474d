import { redactSecretFields, redactSecrets } from "../secrets/redact-secrets.ts";
import {
  type MikaOptionKeyTable,
  rejectUnknownOptions,
  requireOptionsObject,
} from "../validation/option-keys.ts";
import type { MikaLogLevel, MikaRuntimeLogger } from "./runtime-events.ts";

const RANK: Record<MikaLogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

/** Options of the default logger. */
export interface MikaConsoleLoggerOptions {
  /** Lines below this level are dropped. Default `info` (idle passes log at `debug`). */
  level?: MikaLogLevel | "silent";
  /** Where each line goes. Default `console.log`. */
  write?: (line: string) => void;
  /** Epoch milliseconds for `time`. Default `Date.now`. */
  clock?: () => number;
}

/** Every key of `createConsoleLogger`'s options, for the unknown-key check. */
export const MIKA_CONSOLE_LOGGER_OPTION_KEYS = {
  level: true,
  write: true,
  clock: true,
} as const satisfies MikaOptionKeyTable<MikaConsoleLoggerOptions>;

/**
 * The default logger when the host passes none: one JSON object per line (`time`, `level`,
 * `msg`, fields), so a log shipper parses every pass without configuration. Hosts with a real
 * logger (pino, as the CLI uses) pass it instead; core itself depends on no logging library.
 * Secrets in the message and fields are masked (`redactSecretFields`).
 */
export function createConsoleLogger(options: MikaConsoleLoggerOptions = {}): MikaRuntimeLogger {
  rejectUnknownOptions(
    "createConsoleLogger",
    requireOptionsObject("options", options),
    MIKA_CONSOLE_LOGGER_OPTION_KEYS,
  );
  const write = options.write ?? ((line: string) => console.log(line));
  const clock = options.clock ?? Date.now;
  const threshold =
    options.level === "silent" ? Number.POSITIVE_INFINITY : RANK[options.level ?? "info"];
  const emit = (level: MikaLogLevel) => (msg: string, fields: Record<string, unknown>) => {
    if (RANK[level] < threshold) return;
    const safe = redactSecretFields(fields);
    write(
      JSON.stringify({
        time: new Date(clock()).toISOString(),
        level,
        msg: redactSecrets(msg),
        ...safe,
      }),
    );
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
