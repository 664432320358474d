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
 * The message of anything thrown, for a task's `failed.error` or a log line, with passwords
 * and tokens masked (`redactSecrets`): driver errors often quote the connection URL.
 */
export function errorMessage(error: unknown): string {
  return redactSecrets(rawErrorMessage(error));
}

function rawErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
