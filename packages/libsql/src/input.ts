import { createPortInputValidators } from "@mika-maintenance/core";
import { MikaLibsqlInputError } from "./errors.ts";

export { describeValue as describe } from "@mika-maintenance/core";

export const {
  requireTime,
  optionalTimeMap,
  optionalTime,
  requireLimit,
  requireWholeNumber,
  requireDurationMs,
  requireText,
  requireString,
  requireOneOf,
} = createPortInputValidators((field, message) => new MikaLibsqlInputError(field, message));
