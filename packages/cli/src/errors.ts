import { MikaMaintenanceError } from "@mika-maintenance/core";

/** Bad input to the CLI (flags, config module, database URL): exit code 2, nothing written. */
export class MikaCliInputError extends MikaMaintenanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("MIKA_CLI_INVALID_INPUT", message, options);
    this.name = "MikaCliInputError";
  }
}

/** Exit codes: 0 ok, 1 a task or pass failed, 2 bad input (nothing was written). */
export const EXIT = { ok: 0, taskFailed: 1, badInput: 2 } as const;
