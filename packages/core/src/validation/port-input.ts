import { type ISODateTime, isIsoDateTime, normalizeIsoDateTime } from "../time.ts";

/** Checks an adapter applies to port-method input before it touches the store. */
export interface MikaPortInputValidators {
  /** A required timestamp, normalised to canonical UTC. */
  requireTime(value: unknown, field: string): ISODateTime;
  /** An optional timestamp; `undefined` and `null` become `null`. */
  optionalTime(value: unknown, field: string): ISODateTime | null;
  /** A batch size: a whole number >= 0. */
  requireLimit(value: unknown, field?: string): number;
  /** A whole number of at least `min`. */
  requireWholeNumber(value: unknown, field: string, min: number): number;
  /** A finite, positive duration in milliseconds. */
  requireDurationMs(value: unknown, field: string): number;
  /** A non-empty string. */
  requireText(value: unknown, field: string): string;
  /** Any string, empty included. */
  requireString(value: unknown, field: string): string;
  /** One of `allowed`. */
  requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T;
}

/**
 * Builds the shared port-input checks around an adapter's own error class, so every adapter
 * rejects the same bad values with the same messages (naming the field and what is allowed).
 */
export function createPortInputValidators(
  invalid: (field: string, message: string) => Error,
): MikaPortInputValidators {
  const requireTime = (value: unknown, field: string): ISODateTime => {
    if (!isIsoDateTime(value)) {
      throw invalid(
        field,
        `${field} must be an ISO-8601 date-time string, got ${describeValue(value)}.`,
      );
    }
    return normalizeIsoDateTime(value);
  };
  const requireWholeNumber = (value: unknown, field: string, min: number): number => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      throw invalid(
        field,
        `${field} must be a whole number >= ${min}, got ${describeValue(value)}.`,
      );
    }
    return value;
  };
  return {
    requireTime,
    optionalTime: (value, field) =>
      value === undefined || value === null ? null : requireTime(value, field),
    requireLimit: (value, field = "limit") => requireWholeNumber(value, field, 0),
    requireWholeNumber,
    requireDurationMs(value, field) {
      if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
        throw invalid(
          field,
          `${field} must be a positive, finite number of milliseconds, got ${describeValue(value)}.`,
        );
      }
      return value;
    },
    requireText(value, field) {
      if (typeof value !== "string" || value.length === 0) {
        throw invalid(field, `${field} must be a non-empty string, got ${describeValue(value)}.`);
      }
      return value;
    },
    requireString(value, field) {
      if (typeof value !== "string") {
        throw invalid(field, `${field} must be a string, got ${describeValue(value)}.`);
      }
      return value;
    },
    requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
      if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw invalid(
          field,
          `${field} must be one of ${allowed.join(", ")}, got ${describeValue(value)}.`,
        );
      }
      return value as T;
    },
  };
}

/** A short description of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
