import { MikaMaintenanceOptionsError } from "../errors.ts";
import { MIKA_MAINTENANCE_TASKS } from "../tasks/registry.ts";
import type { ISODateTime } from "../time.ts";
import { type MikaOptionKeyTable, rejectUnknownOptions } from "../validation/option-keys.ts";
import { MIKA_MAX_LIMIT, MIKA_MAX_RETENTION_DAYS } from "./limit-bounds.ts";
import type { MikaTaskLimit } from "./task.ts";

export { MIKA_MAX_LIMIT, MIKA_MAX_RETENTION_DAYS } from "./limit-bounds.ts";

/** The run limits every built-in task declares, by option name: default, unit and description. */
export const MIKA_RUN_LIMITS: Readonly<Record<MikaMaintenanceLimitName, MikaTaskLimit>> =
  Object.fromEntries(
    MIKA_MAINTENANCE_TASKS.flatMap((task) => Object.entries(task.limits ?? {})),
  ) as Record<MikaMaintenanceLimitName, MikaTaskLimit>;

/**
 * How long raw webhook payloads are kept, in days: one number for every provider, or one per
 * provider with a `default` for providers the map does not name.
 */
export type MikaRawPayloadRetentionDays =
  | number
  | { readonly default: number; readonly [provider: string]: number };

type LimitNameOf<T> = T extends { limits?: infer L }
  ? Extract<keyof NonNullable<L>, string>
  : never;

/** The name of one run limit (`emailLimit`, `stockReservationLimit`, …), from the task definitions. */
export type MikaMaintenanceLimitName = LimitNameOf<(typeof MIKA_MAINTENANCE_TASKS)[number]>;

/** Validated options with every limit filled in. */
export type MikaResolvedRunLimits = {
  [K in Exclude<MikaMaintenanceLimitName, "rawProviderPayloadRetentionDays">]: number;
} & { rawProviderPayloadRetentionDays: MikaRawPayloadRetentionDays };

/** The limits every run uses when nothing overrides them. */
export const MIKA_DEFAULT_RUN_LIMITS: Readonly<MikaResolvedRunLimits> = Object.fromEntries(
  Object.entries(MIKA_RUN_LIMITS).map(([name, limit]) => [name, limit.default]),
) as MikaResolvedRunLimits;

/**
 * Per-run overrides of the maintenance runner's limits and clock. Each limit is declared by its
 * task (`MIKA_RUN_LIMITS` lists them with defaults): `emailLimit` 25, `stuckEmailLimit` 50,
 * `rawProviderPayloadLimit` 50, `rawProviderPayloadRetentionDays` 14, `acpSessionLimit` 50,
 * `stockReservationLimit` 500, `ephemeralRecordLimit` 1000, `accountDeleteLimit` 25,
 * `stuckWorkflowLimit` 50, `webhookRetryLimit` 50.
 */
export type MikaMaintenanceRunOptions = {
  /** The instant the run works at (ISO string or Date). Default: the injected or wall clock. */
  now?: ISODateTime | Date;
  /** Stops the run at the next batch boundary when aborted. */
  signal?: AbortSignal;
} & Partial<MikaResolvedRunLimits>;

const LIMIT_NAMES = Object.keys(MIKA_RUN_LIMITS) as MikaMaintenanceLimitName[];

const LIMIT_KEYS = Object.fromEntries(LIMIT_NAMES.map((name) => [name, true])) as Record<
  MikaMaintenanceLimitName,
  true
>;

/** Every run option, for the unknown-key check. */
export const MIKA_RUN_OPTION_KEYS = {
  now: true,
  signal: true,
  ...LIMIT_KEYS,
} as const satisfies MikaOptionKeyTable<MikaMaintenanceRunOptions>;

/**
 * Validates run options and fills in defaults. Throws `MikaMaintenanceOptionsError` naming the
 * first bad field and what it allows; never returns partially valid options.
 */
export function resolveRunLimits(
  options: unknown,
  defaults: Partial<MikaResolvedRunLimits> = {},
): MikaResolvedRunLimits {
  if (
    options !== undefined &&
    (options === null || typeof options !== "object" || Array.isArray(options))
  ) {
    throw new MikaMaintenanceOptionsError(
      "options",
      `Run options must be an object, got ${describe(options)}.`,
    );
  }
  const record = (options ?? {}) as Record<string, unknown>;
  rejectUnknownOptions("run", record, MIKA_RUN_OPTION_KEYS);
  if (defaults === null || typeof defaults !== "object" || Array.isArray(defaults)) {
    throw new MikaMaintenanceOptionsError(
      "defaults",
      `defaults must be an object of run limits, got ${describe(defaults)}.`,
    );
  }
  rejectUnknownOptions("defaults", defaults, LIMIT_KEYS, "defaults.");
  const signal = record.signal;
  if (
    signal !== undefined &&
    !(typeof AbortSignal !== "undefined" && signal instanceof AbortSignal)
  ) {
    throw new MikaMaintenanceOptionsError(
      "signal",
      `signal must be an AbortSignal, got ${describe(signal)}.`,
    );
  }
  const resolved: Record<string, unknown> = { ...MIKA_DEFAULT_RUN_LIMITS };
  for (const name of LIMIT_NAMES) {
    const fromDefaults = defaults[name];
    if (fromDefaults !== undefined) resolved[name] = validateValue(name, fromDefaults);
    const value = record[name];
    if (value !== undefined) resolved[name] = validateValue(name, value);
  }
  return resolved as MikaResolvedRunLimits;
}

function validateValue(name: MikaMaintenanceLimitName, value: unknown): unknown {
  if (name === "rawProviderPayloadRetentionDays") return validateRetention(value);
  if (MIKA_RUN_LIMITS[name].unit === "days") return retentionDays(name, value);
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > MIKA_MAX_LIMIT
  ) {
    throw new MikaMaintenanceOptionsError(
      name,
      `${name} must be a whole number from 0 to ${MIKA_MAX_LIMIT}, got ${describe(value)}.`,
    );
  }
  return value;
}

const RETENTION_FIELD = "rawProviderPayloadRetentionDays";

function validateRetention(value: unknown): MikaRawPayloadRetentionDays {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (!("default" in value)) {
      throw new MikaMaintenanceOptionsError(
        `${RETENTION_FIELD}.default`,
        `${RETENTION_FIELD} given per provider needs a default for the providers it does not name, e.g. { default: 14, stripe: 30 }.`,
      );
    }
    for (const [provider, days] of entries) {
      if (provider === "") {
        throw new MikaMaintenanceOptionsError(
          RETENTION_FIELD,
          `${RETENTION_FIELD} names providers by non-empty keys; got an empty key.`,
        );
      }
      retentionDays(`${RETENTION_FIELD}.${provider}`, days);
    }
    return Object.freeze(Object.fromEntries(entries)) as MikaRawPayloadRetentionDays;
  }
  return retentionDays(RETENTION_FIELD, value);
}

function retentionDays(field: string, value: unknown): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > MIKA_MAX_RETENTION_DAYS
  ) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a number of days from 0 to ${MIKA_MAX_RETENTION_DAYS} (fractions allowed)${
        field === RETENTION_FIELD ? " or a map of them per provider with a default" : ""
      }, got ${describe(value)}.`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
