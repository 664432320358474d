import { MikaMaintenanceOptionsError } from "../errors.ts";
import {
  type ISODateTime,
  MIKA_ISO_DATE_TIME_FORMAT,
  type MikaClock,
  parseIsoDateTime,
} from "../time.ts";
import { describeValue } from "../validation/describe-value.ts";

/**
 * Resolves the instant a run works at: the explicit option, else the injected clock, else the
 * wall clock. Called once per run so every task sees the same `now`.
 */
export function resolveNow(
  explicit: ISODateTime | Date | undefined,
  clock: MikaClock | undefined,
): ISODateTime {
  if (explicit !== undefined) {
    if (explicit instanceof Date) {
      if (!Number.isFinite(explicit.getTime())) {
        throw new MikaMaintenanceOptionsError(
          "now",
          "now must be a valid date, got an invalid Date.",
        );
      }
      return explicit.toISOString();
    }
    const parsed = parseIsoDateTime(explicit);
    if (parsed === null) {
      throw new MikaMaintenanceOptionsError(
        "now",
        `now must be ${MIKA_ISO_DATE_TIME_FORMAT}, or a Date; got ${describeValue(explicit)}.`,
      );
    }
    return parsed;
  }
  const date = clock ? clock() : new Date();
  if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
    throw new MikaMaintenanceOptionsError("now", "The injected clock returned an invalid Date.");
  }
  return date.toISOString();
}
