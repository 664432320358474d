import type { ISODateTime } from "@mika-maintenance/core";

/** The fixed instant every test starts from; tests move time by offsets, never by waiting. */
export const T0: ISODateTime = "2026-06-21T10:00:00.000Z";

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The instant `offsetMs` after `base` (before it when negative), in canonical ISO form. */
export function at(offsetMs: number, base: ISODateTime = T0): ISODateTime {
  return new Date(Date.parse(base) + offsetMs).toISOString();
}
