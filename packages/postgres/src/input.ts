import { createPortInputValidators } from "@mika-maintenance/core";
import { MikaPostgresInputError } from "./errors.ts";

// Core's port-input checks raising this adapter's MikaMaintenanceInputError subclass, so every
// adapter refuses the same bad value with the same code, field and message. Times come back in
// canonical UTC, so stored strings order chronologically. One object, not a list of names, so
// a check core adds reaches every adapter as it is.
export const portInput = createPortInputValidators(
  (field, message) => new MikaPostgresInputError(field, message),
);
