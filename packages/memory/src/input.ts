import { createPortInputValidators } from "@mika-maintenance/core";
import { MikaMemoryInputError } from "./errors.ts";

// Timestamps are stored in canonical UTC form, as a timestamptz column would return them, so
// string comparison orders them chronologically.
export const {
  requireTime,
  optionalTime,
  requireLimit,
  requireWholeNumber,
  requireDurationMs,
  requireText,
  requireString,
  requireOneOf,
} = createPortInputValidators((field, message) => new MikaMemoryInputError(field, message));
