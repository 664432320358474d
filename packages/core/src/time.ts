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

/** How a timestamp must be written wherever one enters mika-maintenance, for error messages. */
export const MIKA_ISO_DATE_TIME_FORMAT =
  "an ISO-8601 date-time with a real calendar date and a zone (Z or ±hh:mm), " +
  "e.g. 2026-06-21T10:00:00.000Z or 2026-06-21T12:00:00+02:00";

// Date and time always, seconds and fraction optional, zone required: without a zone the
// instant would depend on the machine's time zone.
const STRICT_ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * The strict timestamp parser every input goes through: `YYYY-MM-DDThh:mm[:ss[.fff…]]` with
 * `Z` or `±hh:mm`, a real calendar date (no 30 February) and a real clock time. Returns the
 * canonical UTC form, or `null` for anything else (`"1"`, `"March 7"`, a missing zone).
 */
export function parseIsoDateTime(value: unknown): ISODateTime | null {
  if (typeof value !== "string") return null;
  const match = STRICT_ISO.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s = "0", fraction = "", , sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (sign) {
    const offsetHours = Number(oh);
    const offsetRest = Number(om);
    if (offsetHours > 23 || offsetRest > 59) return null;
    offsetMinutes = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(
    hour,
    minute - offsetMinutes,
    second,
    Number(fraction.padEnd(3, "0").slice(0, 3)),
  );
  const ms = date.getTime();
  return Number.isFinite(ms) ? date.toISOString() : null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when `value` is a timestamp `parseIsoDateTime` accepts. */
export function isIsoDateTime(value: unknown): value is ISODateTime {
  return parseIsoDateTime(value) !== null;
}

/** The canonical UTC form of a timestamp `parseIsoDateTime` accepts; throws on anything else. */
export function normalizeIsoDateTime(value: ISODateTime): ISODateTime {
  const parsed = parseIsoDateTime(value);
  if (parsed === null) {
    throw new RangeError(`Expected ${MIKA_ISO_DATE_TIME_FORMAT}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/** Milliseconds in a day, for retention periods given in days. */
export const MS_PER_DAY = 86_400_000;
