/** A UTC ISO-8601 timestamp with milliseconds, e.g. `2026-06-21T10:00:00.000Z`. */
export type ISODateTime = string;

/** A source of the current time; injected so that no test waits for a real clock. */
export type MikaClock = () => Date;

/** Formats a date as the canonical `ISODateTime` used throughout mika-maintenance. */
export function toIsoDateTime(date: Date): ISODateTime {
  return date.toISOString();
}

/** Returns `iso` moved by `ms` milliseconds (negative moves back), canonical form. */
export function addMilliseconds(iso: ISODateTime, ms: number): ISODateTime {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Milliseconds since the epoch for an `ISODateTime`; `NaN` when it does not parse. */
export function toEpochMs(iso: ISODateTime): number {
  return Date.parse(iso);
}

/** True when `value` is a string that parses to a real instant. */
export function isIsoDateTime(value: unknown): value is ISODateTime {
  return typeof value === "string" && value.length > 0 && Number.isFinite(Date.parse(value));
}

/** Normalises any parsable timestamp to the canonical UTC form. */
export function normalizeIsoDateTime(value: ISODateTime): ISODateTime {
  return new Date(Date.parse(value)).toISOString();
}

/** Milliseconds in a day, for retention periods given in days. */
export const MS_PER_DAY = 86_400_000;
