import { errorChainParts } from "./error-chain.ts";
import { redactSecrets } from "./secrets/redact-secrets.ts";

/** Base class of every error mika-maintenance throws on purpose; `code` is stable. */
export class MikaMaintenanceError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MikaMaintenanceError";
    this.code = code;
  }
}

/** Invalid run options. Thrown before any task runs; `field` names the offending option. */
export class MikaMaintenanceOptionsError extends MikaMaintenanceError {
  readonly field: string;

  constructor(field: string, message: string) {
    super("MIKA_INVALID_OPTIONS", message);
    this.name = "MikaMaintenanceOptionsError";
    this.field = field;
  }
}

/**
 * A port method received a value its store would reject or store wrongly. Every adapter throws
 * a subclass with this one code, and `field` names the offending input.
 */
export class MikaMaintenanceInputError extends MikaMaintenanceError {
  readonly field: string;

  constructor(field: string, message: string) {
    super("MIKA_INVALID_INPUT", message);
    this.name = "MikaMaintenanceInputError";
    this.field = field;
  }
}

/**
 * The message of anything thrown, on one line, for a task's `failed.error`, a log line or the
 * CLI: the error's message followed by its `cause` chain (`fetch failed: connect ECONNREFUSED
 * 127.0.0.1:8080`, `SQLITE_ERROR: no such table: mika_outbox_emails`), stopping where an error
 * already quotes its cause; drizzle's "Failed query: <sql> params: …" wrapper is left out (its
 * parameters may hold personal data). Passwords and tokens are masked (`redactSecrets`):
 * driver errors often quote the connection URL.
 */
export function errorMessage(error: unknown): string {
  // Each part is masked on its own, so a masked value never swallows the ": " that follows it.
  return errorChainParts(error).map(redactSecrets).join(": ");
}
