import { createPortInputValidators } from "@mika-maintenance/core";
import { MikaPostgresInputError } from "./errors.ts";

/** Core's shared port-input checks (timestamps, durations), raising this adapter's error. */
export const postgresInput = createPortInputValidators(
  (field, message) => new MikaPostgresInputError(field, message),
);

/** A whole number >= 1 (attempt counts, quantities). */
export function positiveIntegerParam(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new MikaPostgresInputError(
      field,
      `${field} must be a whole number >= 1, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** A whole number >= 0 (on-hand quantities, step values). */
export function nonNegativeIntegerParam(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new MikaPostgresInputError(
      field,
      `${field} must be a whole number >= 0, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** A non-empty string (lease keys, ids). */
export function textParam(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new MikaPostgresInputError(
      field,
      `${field} must be a non-empty string, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
