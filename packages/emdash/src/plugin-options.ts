import { z } from "zod";
import {
  MIKA_DEFAULT_HOOK_TIMEOUT_MS,
  MIKA_DEFAULT_SCHEDULE,
  MIKA_MAX_HOOK_TIMEOUT_MS,
} from "./constants.ts";
import { isValidCronExpression } from "./cron-expression.ts";
import { MikaPluginOptionsError, type MikaPluginOptionsIssue } from "./errors.ts";

/** The serializable maintenance settings: the only options the descriptor carries. */
export type MikaPluginMaintenanceOptions = {
  /** `false` cancels the `mika_maintenance` task instead of scheduling it. Default `true`. */
  enabled?: boolean;
  /** Cron expression for the task. Default `* * * * *` (every minute). */
  schedule?: string;
};

/** The maintenance settings after validation and defaults. */
export interface MikaResolvedMaintenanceSettings {
  enabled: boolean;
  schedule: string;
  hookTimeoutMs: number;
}

/**
 * Option names that hold live objects or functions. They can never travel through the
 * descriptor, which EmDash serializes into generated code with `JSON.stringify`.
 */
export const MIKA_RUNTIME_OPTION_NAMES: ReadonlySet<string> = new Set([
  "api",
  "repositories",
  "emailOutboxRunner",
  "acpSessionStore",
  "cleanupExpiredAcpSessions",
  "releaseExpiredReservations",
  "purgeExpiredEphemeralRecords",
  "now",
  "tasks",
]);

const CREATE_PLUGIN_ONLY_OPTION_NAMES: ReadonlySet<string> = new Set([
  "runOptions",
  "hookTimeoutMs",
]);

const scheduleSchema = z.string().refine(isValidCronExpression, {
  error: (issue) =>
    'must be a cron expression such as "* * * * *", "*/5 * * * *" or "@hourly" ' +
    `(5 fields, or 6 with seconds), got ${describeValue(issue.input)}`,
});

const serializableMaintenanceShape = {
  enabled: z.boolean().optional(),
  schedule: scheduleSchema.optional(),
};

/** Schema of `mikaPlugin()` options: strict, JSON-only. */
export const mikaDescriptorOptionsSchema = z.strictObject({
  entrypoint: z.string().min(1, "must be a non-empty module specifier").optional(),
  maintenance: z.strictObject(serializableMaintenanceShape).optional(),
});

const isFunction = (value: unknown): boolean => typeof value === "function";
const isObject = (value: unknown): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const functionSchema = z.custom<unknown>(isFunction, { message: "expected a function" });
const objectSchema = z.custom<unknown>(isObject, { message: "expected an object" });

const runtimeDependencyShape = {
  acpSessionStore: z
    .custom<unknown>(
      (value) =>
        isObject(value) && isFunction((value as { cleanupExpired?: unknown }).cleanupExpired),
      {
        message: "expected an ACP session store with a cleanupExpired() method",
      },
    )
    .optional(),
  cleanupExpiredAcpSessions: functionSchema.optional(),
  releaseExpiredReservations: functionSchema.optional(),
  purgeExpiredEphemeralRecords: functionSchema.optional(),
};

/** Schema of `createPlugin()` options: the serializable settings plus runtime dependencies. */
export const mikaCreatePluginOptionsSchema = z.looseObject({
  api: objectSchema.optional(),
  ...runtimeDependencyShape,
  maintenance: z
    .looseObject({
      ...serializableMaintenanceShape,
      ...runtimeDependencyShape,
      repositories: objectSchema.optional(),
      emailOutboxRunner: z
        .custom<unknown>(
          (value) => isObject(value) && isFunction((value as { runOnce?: unknown }).runOnce),
          {
            message: "expected an email outbox runner with a runOnce() method",
          },
        )
        .optional(),
      runOptions: objectSchema.optional(),
      hookTimeoutMs: z
        .number()
        .int("must be a whole number of milliseconds")
        .min(1_000, "must be at least 1000 ms")
        .max(
          MIKA_MAX_HOOK_TIMEOUT_MS,
          `must be at most ${MIKA_MAX_HOOK_TIMEOUT_MS} ms (EmDash releases a task lock after 10 minutes)`,
        )
        .optional(),
      now: functionSchema.optional(),
    })
    .optional(),
});

/** Validates `mikaPlugin()` options, throwing a `MikaPluginOptionsError` that names each bad field. */
export function parseDescriptorOptions(
  options: unknown,
): z.infer<typeof mikaDescriptorOptionsSchema> {
  const parsed = mikaDescriptorOptionsSchema.safeParse(options ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new MikaPluginOptionsError("mikaPlugin", describeIssues(parsed.error, "descriptor"));
  }
  return parsed.data;
}

/** Validates `createPlugin()` options, throwing a `MikaPluginOptionsError` that names each bad field. */
export function parseCreatePluginOptions(options: unknown): MikaResolvedMaintenanceSettings {
  const parsed = mikaCreatePluginOptionsSchema.safeParse(options ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new MikaPluginOptionsError("createPlugin", describeIssues(parsed.error, "runtime"));
  }
  const maintenance = parsed.data.maintenance ?? {};
  return {
    enabled: maintenance.enabled ?? true,
    schedule: maintenance.schedule ?? MIKA_DEFAULT_SCHEDULE,
    hookTimeoutMs: maintenance.hookTimeoutMs ?? MIKA_DEFAULT_HOOK_TIMEOUT_MS,
  };
}

function describeIssues(
  error: z.ZodError,
  source: "descriptor" | "runtime",
): MikaPluginOptionsIssue[] {
  const issues: MikaPluginOptionsIssue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: [...base, key].join("."), message: unknownKeyMessage(key, source) });
      }
      continue;
    }
    const path = base.length > 0 ? base.join(".") : "(options)";
    if (issue.code === "invalid_type") {
      const input = (issue as { input?: unknown }).input;
      const runtimeHint =
        source === "descriptor" && (typeof input === "function" || isObject(input))
          ? "; runtime values (functions, repositories, runners, the API) must be passed to createPlugin() in your plugin entrypoint, not to mikaPlugin()"
          : "";
      issues.push({
        path,
        message: `expected ${issue.expected}, got ${describeValue(input)}${runtimeHint}`,
      });
      continue;
    }
    issues.push({ path, message: issue.message });
  }
  return issues;
}

function unknownKeyMessage(key: string, source: "descriptor" | "runtime"): string {
  if (source === "descriptor" && MIKA_RUNTIME_OPTION_NAMES.has(key)) {
    return (
      "is a runtime value and cannot go into the descriptor, which EmDash serializes into " +
      "generated code; pass it to createPlugin() in your plugin entrypoint instead " +
      "(see the descriptor's `entrypoint` option)"
    );
  }
  if (source === "descriptor" && CREATE_PLUGIN_ONLY_OPTION_NAMES.has(key)) {
    return "is a createPlugin() option; set it in your plugin entrypoint instead";
  }
  return "is not a known option";
}

/** A short description of a value's type for error messages ("a function", "a number"). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `a ${typeof value}`;
}
