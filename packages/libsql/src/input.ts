import { type ISODateTime, isIsoDateTime, normalizeIsoDateTime } from "@mika-maintenance/core";
import { MikaLibsqlInputError } from "./errors.ts";

/** Validates and normalises a required timestamp. */
export function requireTime(value: unknown, field: string): ISODateTime {
  if (!isIsoDateTime(value)) {
    throw new MikaLibsqlInputError(
      field,
      `${field} must be an ISO-8601 date-time string, got ${describe(value)}.`,
    );
  }
  return normalizeIsoDateTime(value);
}

/** Validates and normalises an optional timestamp; `undefined` and `null` become `null`. */
export function optionalTime(value: unknown, field: string): ISODateTime | null {
  return value === undefined || value === null ? null : requireTime(value, field);
}

/** A batch size: a whole number >= 0. */
export function requireLimit(value: unknown, field = "limit"): number {
  return requireWholeNumber(value, field, 0);
}

/** A whole number of at least `min`. */
export function requireWholeNumber(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new MikaLibsqlInputError(
      field,
      `${field} must be a whole number >= ${min}, got ${describe(value)}.`,
    );
  }
  return value;
}

/** A finite, positive duration in milliseconds. */
export function requireDurationMs(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new MikaLibsqlInputError(
      field,
      `${field} must be a positive, finite number of milliseconds, got ${describe(value)}.`,
    );
  }
  return value;
}

/** A non-empty string. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new MikaLibsqlInputError(
      field,
      `${field} must be a non-empty string, got ${describe(value)}.`,
    );
  }
  return value;
}

/** Any string, empty included. */
export function requireString(value: unknown, field: string): string {
  if (typeof value !== "string") {
    throw new MikaLibsqlInputError(field, `${field} must be a string, got ${describe(value)}.`);
  }
  return value;
}

/** One of `allowed`. */
export function requireOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new MikaLibsqlInputError(
      field,
      `${field} must be one of ${allowed.join(", ")}, got ${describe(value)}.`,
    );
  }
  return value as T;
}

/** A short description of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
