import { createPortInputValidators } from "@mika-maintenance/core";
import { MikaSqliteInputError } from "./errors.ts";

export { describeValue as describe } from "@mika-maintenance/core";

// Core's port-input checks raising this adapter's MikaMaintenanceInputError subclass, so every
// adapter refuses the same bad value with the same code, field and message. Times come back in
// canonical UTC, so stored strings order chronologically.
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
  requireBoolean,
  requireInteger,
  requireAnyOf,
  requireLeaseExtension,
  requireLanePause,
} = createPortInputValidators((field, message) => new MikaSqliteInputError(field, message));
