import { MikaMaintenanceInputError } from "../errors.ts";
import { type ISODateTime, MIKA_ISO_DATE_TIME_FORMAT, parseIsoDateTime } from "../time.ts";
import { describeValue } from "./describe-value.ts";

export { describeValue } from "./describe-value.ts";

/** Checks an adapter applies to port-method input before it touches the store. */
export interface MikaPortInputValidators {
  /** A required timestamp, normalised to canonical UTC. */
  requireTime(value: unknown, field: string): ISODateTime;
  /** An optional timestamp; `undefined` and `null` become `null`. */
  optionalTime(value: unknown, field: string): ISODateTime | null;
  /**
   * An optional map of timestamps by a non-empty key (e.g. cutoffs per provider), each one
   * normalised and named `field.key` when it is bad; `undefined` and `null` become `{}`.
   */
  optionalTimeMap(value: unknown, field: string): Record<string, ISODateTime>;
  /** A batch size: a whole number >= 0. */
  requireLimit(value: unknown, field?: string): number;
  /** A whole number of at least `min`. */
  requireWholeNumber(value: unknown, field: string, min: number): number;
  /** A positive duration in milliseconds, at most `MIKA_MAX_DURATION_MS` (10 years). */
  requireDurationMs(value: unknown, field: string): number;
  /** A non-empty string. */
  requireText(value: unknown, field: string): string;
  /** Any string, empty included. */
  requireString(value: unknown, field: string): string;
  /** One of `allowed`. */
  requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T;
  /** `true` or `false`. */
  requireBoolean(value: unknown, field: string): boolean;
  /** A whole number, negative allowed (money in minor units). */
  requireInteger(value: unknown, field: string): number;
  /** At least one of `fields` of `input` is set (not `undefined`, `null` or `""`); names the first. */
  requireAnyOf(input: object, fields: readonly string[], what: string): void;
  /**
   * A heartbeat's input (`extendEmailLease`, `extendWorkflowLease`, ...): the row's id under
   * `idField`, the holder's `leaseKey`, `now` and the lease's new end, checked in that order.
   */
  requireLeaseExtension<IdField extends string>(
    input: MikaLeaseExtensionInput<IdField>,
    idField: IdField,
  ): MikaLeaseExtension;
  /** `setLanePaused`'s input: the lane, who pauses or resumes it, when, and which of the two. */
  requireLanePause(input: Record<"lane" | "by" | "now" | "paused", unknown>): {
    lane: string;
    by: string;
    now: ISODateTime;
    paused: boolean;
  };
}

/** A heartbeat as a port method receives it: the row's id is named by the port. */
export type MikaLeaseExtensionInput<IdField extends string> = Record<
  IdField | "leaseKey" | "now" | "leaseExpiresAt",
  unknown
>;

/** A checked heartbeat: which row, who holds it, when, and the lease's new end. */
export interface MikaLeaseExtension {
  id: string;
  leaseKey: string;
  now: ISODateTime;
  leaseExpiresAt: ISODateTime;
}

/**
 * The longest duration a port method accepts (10 years): far beyond any lease or TTL, and
 * small enough that `now + duration` is always a valid date.
 */
export const MIKA_MAX_DURATION_MS = 315_360_000_000;

/**
 * Builds the shared port-input checks around an adapter's own error class (a
 * `MikaMaintenanceInputError` subclass), so every adapter rejects the same bad values with the
 * same code and messages, naming the field and what is allowed.
 */
export function createPortInputValidators(
  invalid: (field: string, message: string) => Error = (field, message) =>
    new MikaMaintenanceInputError(field, message),
): MikaPortInputValidators {
  const requireTime = (value: unknown, field: string): ISODateTime => {
    const parsed = parseIsoDateTime(value);
    if (parsed === null) {
      throw invalid(
        field,
        `${field} must be ${MIKA_ISO_DATE_TIME_FORMAT}; got ${describeValue(value)}.`,
      );
    }
    return parsed;
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
  const requireText = (value: unknown, field: string): string => {
    if (typeof value !== "string" || value.length === 0) {
      throw invalid(field, `${field} must be a non-empty string, got ${describeValue(value)}.`);
    }
    return value;
  };
  const requireBoolean = (value: unknown, field: string): boolean => {
    if (typeof value !== "boolean") {
      throw invalid(field, `${field} must be true or false, got ${describeValue(value)}.`);
    }
    return value;
  };
  return {
    requireTime,
    optionalTime: (value, field) =>
      value === undefined || value === null ? null : requireTime(value, field),
    optionalTimeMap(value, field) {
      if (value === undefined || value === null) return {};
      if (typeof value !== "object" || Array.isArray(value)) {
        throw invalid(
          field,
          `${field} must be an object of timestamps by key, got ${describeValue(value)}.`,
        );
      }
      const times: Record<string, ISODateTime> = {};
      for (const [key, time] of Object.entries(value)) {
        if (key === "") throw invalid(field, `${field} must not have an empty key.`);
        times[key] = requireTime(time, `${field}.${key}`);
      }
      return times;
    },
    requireLimit: (value, field = "limit") => requireWholeNumber(value, field, 0),
    requireWholeNumber,
    requireDurationMs(value, field) {
      if (
        typeof value !== "number" ||
        !Number.isFinite(value) ||
        value <= 0 ||
        value > MIKA_MAX_DURATION_MS
      ) {
        throw invalid(
          field,
          `${field} must be a positive number of milliseconds up to ${MIKA_MAX_DURATION_MS} (10 years), got ${describeValue(value)}.`,
        );
      }
      return value;
    },
    requireText,
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
    requireBoolean,
    requireInteger(value, field) {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) {
        throw invalid(field, `${field} must be a whole number, got ${describeValue(value)}.`);
      }
      return value;
    },
    requireAnyOf(input, fields, what) {
      const values = input as Record<string, unknown>;
      if (
        fields.some(
          (name) => values[name] !== undefined && values[name] !== null && values[name] !== "",
        )
      )
        return;
      const names = `${fields.slice(0, -1).join(", ")} or ${fields.at(-1)}`;
      throw invalid(fields[0] ?? "input", `${what} needs at least one of ${names}.`);
    },
    requireLanePause(input) {
      return {
        lane: requireText(input.lane, "lane"),
        by: requireText(input.by, "by"),
        now: requireTime(input.now, "now"),
        paused: requireBoolean(input.paused, "paused"),
      };
    },
    requireLeaseExtension(input, idField) {
      return {
        id: requireText(input[idField], idField),
        leaseKey: requireText(input.leaseKey, "leaseKey"),
        now: requireTime(input.now, "now"),
        leaseExpiresAt: requireTime(input.leaseExpiresAt, "leaseExpiresAt"),
      };
    },
  };
}
