import type { ISODateTime } from "@mika-maintenance/core";
import { customType } from "drizzle-orm/sqlite-core";

/**
 * Milliseconds since the epoch for an ISO-8601 instant; throws on anything unparsable so a bad
 * time never reaches a column as `NaN` (see docs/decisions/0002-libsql-time-storage.md).
 */
export function toStoredTime(value: ISODateTime): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new TypeError(`Expected an ISO-8601 date-time, got ${JSON.stringify(value)}.`);
  }
  return ms;
}

/**
 * The canonical `ISODateTime` of a stored millisecond value. An ISO string written into the
 * column by other SQL is read as the instant it names rather than failing the whole query.
 */
export function fromStoredTime(value: number | string): ISODateTime {
  const ms =
    typeof value === "string" && !/^-?\d+$/.test(value) ? Date.parse(value) : Number(value);
  if (!Number.isFinite(ms)) {
    throw new TypeError(
      `Expected a time in milliseconds since the epoch, got ${JSON.stringify(value)}.`,
    );
  }
  return new Date(ms).toISOString();
}

/**
 * A UTC instant: `ISODateTime` in TypeScript, INTEGER milliseconds since the epoch in SQLite,
 * so range comparisons are integer comparisons served by plain B-tree indexes.
 */
export const isoTime = customType<{ data: ISODateTime; driverData: number | string }>({
  dataType: () => "integer",
  toDriver: toStoredTime,
  fromDriver: fromStoredTime,
});

/** A JSON value kept as TEXT (SQLite's JSON functions read it in place). */
export const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value),
});
