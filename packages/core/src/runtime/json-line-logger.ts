import { redactSecretFields, redactSecrets } from "../secrets/redact-secrets.ts";
import type { MikaRuntimeLogger } from "./runtime-events.ts";

/**
 * The default logger: one JSON object per line (`time`, `level`, `msg`, fields) on the
 * console, so a log shipper can parse every pass without configuration. Secrets in the
 * message and fields are masked (`redactSecretFields`).
 */
export function createJsonLineLogger(
  write: (line: string) => void = (line) => console.log(line),
  clock: () => number = Date.now,
): MikaRuntimeLogger {
  const emit = (level: string, msg: string, fields: Record<string, unknown>) => {
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
  return {
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}
