import { MikaMaintenanceOptionsError } from "../errors.ts";
import { MIKA_MAX_LIMIT } from "../runner/limit-bounds.ts";
import { describeValue } from "../validation/describe-value.ts";
import {
  type MikaOptionKeyTable,
  rejectUnknownOptions,
  requireOptionsObject,
  wholeNumberInRange,
} from "../validation/option-keys.ts";
import { MIKA_MAX_DURATION_MS } from "../validation/port-input.ts";
import type { MikaEmailOutboxRunnerInput } from "./create-email-outbox-runner.ts";
import type { MikaEmailOutboxRunOptions } from "./types.ts";

/** Every key of `createMikaEmailOutboxRunner`'s input, for the unknown-key check. */
export const MIKA_EMAIL_OUTBOX_RUNNER_INPUT_KEYS = {
  repositories: true,
  sender: true,
  now: true,
  createId: true,
  batchSize: true,
  leaseMs: true,
  retryDelayMs: true,
  concurrency: true,
  maxPerSecond: true,
  scheduler: true,
  prepare: true,
} as const satisfies MikaOptionKeyTable<MikaEmailOutboxRunnerInput>;

/** Every key of an outbox `runOnce` call's options. */
export const MIKA_EMAIL_OUTBOX_RUN_OPTION_KEYS = {
  now: true,
  limit: true,
  signal: true,
} as const satisfies MikaOptionKeyTable<MikaEmailOutboxRunOptions>;

/** The longest email lease (one day): a crashed sender never holds an email longer. */
export const MIKA_MAX_EMAIL_LEASE_MS = 86_400_000;

/**
 * Checks the outbox runner's input before anything runs: no unknown keys (a misspelled
 * `retryDelay` is an error, not a silently default backoff), functions where functions go.
 */
export function checkEmailOutboxRunnerInput(input: unknown): void {
  const record = requireOptionsObject("input", input);
  rejectUnknownOptions("createMikaEmailOutboxRunner", record, MIKA_EMAIL_OUTBOX_RUNNER_INPUT_KEYS);
  for (const field of ["now", "createId", "retryDelayMs", "prepare"] as const) {
    const value = record[field];
    if (value !== undefined && typeof value !== "function") {
      throw new MikaMaintenanceOptionsError(
        field,
        `${field} must be a function, got ${describeValue(value)}.`,
      );
    }
  }
}

/** Checks one `runOnce` call's options: known keys only, `limit` from 0 to `MIKA_MAX_LIMIT`. */
export function checkEmailOutboxRunOptions(options: unknown): MikaEmailOutboxRunOptions {
  const record = requireOptionsObject("options", options);
  rejectUnknownOptions("email outbox run", record, MIKA_EMAIL_OUTBOX_RUN_OPTION_KEYS);
  if (record.limit !== undefined) wholeNumberInRange("limit", record.limit, 0, MIKA_MAX_LIMIT);
  return record as MikaEmailOutboxRunOptions;
}

/**
 * A host's retry delay, made safe for date arithmetic: a negative, non-numeric or infinite
 * answer cannot be stored as a time, so it is clamped to 0 … `MIKA_MAX_DURATION_MS` (`NaN`
 * and non-numbers become `fallback`).
 */
export function clampRetryDelay(value: unknown, fallback: number): number {
  if (typeof value !== "number" || Number.isNaN(value)) return fallback;
  return Math.min(Math.max(0, value), MIKA_MAX_DURATION_MS);
}
