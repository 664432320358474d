import { createPortInputValidators } from "@mika-maintenance/core";
import { MikaPostgresInputError } from "./errors.ts";

// Core's port-input checks raising this adapter's MikaMaintenanceInputError subclass, so every
// adapter refuses the same bad value with the same code, field and message. Times come back in
// canonical UTC, so stored strings order chronologically.
export const {
  requireTime,
  optionalTime,
  optionalTimeMap,
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
} = createPortInputValidators((field, message) => new MikaPostgresInputError(field, message));
