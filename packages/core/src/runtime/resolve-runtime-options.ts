import { MikaMaintenanceOptionsError } from "../errors.ts";
import type { MikaMaintenanceTask } from "../runner/task.ts";
import { rejectUnknownOptions } from "../validation/option-keys.ts";
import { laneSettingsOf, MIKA_RUNTIME_DEFAULTS, type MikaResolvedLane } from "./lane-defaults.ts";
import { MIKA_RUNTIME_RETENTION_KEYS, type MikaMaintenanceRuntimeInput } from "./runtime-input.ts";

/** Numeric runtime settings after validation. */
export interface MikaResolvedRuntimeSettings {
  leaderName: string;
  leaseTtlMs: number;
  renewEveryMs: number;
  heartbeatMs: number;
  hasMoreDelayMs: number;
  shutdownGraceMs: number;
  keepRunsPerLane: number;
  heartbeatRetentionMs: number;
}

const LANE_OVERRIDE_KEYS = new Set(["intervalMs", "timeoutMs", "enabled"]);
const MAX_INTERVAL_MS = 86_400_000;
const MAX_TIMEOUT_MS = 3_600_000;

/** Validates lane overrides against the tasks and fills in each task's lane, in run order. */
export function resolveLanes(
  tasks: readonly Pick<MikaMaintenanceTask, "key" | "lane">[],
  overrides: MikaMaintenanceRuntimeInput["lanes"],
): MikaResolvedLane[] {
  const taskKeys = tasks.map((task) => task.key);
  const record = requireRecord("lanes", overrides ?? {});
  for (const key of Object.keys(record)) {
    if (!taskKeys.includes(key)) {
      throw new MikaMaintenanceOptionsError(
        `lanes.${key}`,
        `Unknown lane "${key}". Lanes are the task keys: ${taskKeys.join(", ")}.`,
      );
    }
  }
  return tasks.map((task) => {
    const lane = task.key;
    const defaults = laneSettingsOf(task);
    const override = requireRecord(`lanes.${lane}`, record[lane] ?? {});
    for (const key of Object.keys(override)) {
      if (!LANE_OVERRIDE_KEYS.has(key)) {
        throw new MikaMaintenanceOptionsError(
          `lanes.${lane}.${key}`,
          `Unknown lane setting "${key}" for lane ${lane}. Allowed: enabled, intervalMs, timeoutMs.`,
        );
      }
    }
    const enabled = override.enabled ?? defaults.enabled;
    if (typeof enabled !== "boolean") {
      throw new MikaMaintenanceOptionsError(
        `lanes.${lane}.enabled`,
        `lanes.${lane}.enabled must be true or false, got ${describe(enabled)}.`,
      );
    }
    return {
      lane,
      kind: defaults.kind,
      runsOn: defaults.runsOn,
      enabled,
      intervalMs: wholeMs(
        `lanes.${lane}.intervalMs`,
        override.intervalMs,
        defaults.intervalMs,
        100,
        MAX_INTERVAL_MS,
      ),
      timeoutMs: wholeMs(
        `lanes.${lane}.timeoutMs`,
        override.timeoutMs,
        defaults.timeoutMs,
        100,
        MAX_TIMEOUT_MS,
      ),
    };
  });
}

/** Validates the runtime-wide settings; every error names its field and the allowed range. */
export function resolveRuntimeSettings(
  input: MikaMaintenanceRuntimeInput,
): MikaResolvedRuntimeSettings {
  const d = MIKA_RUNTIME_DEFAULTS;
  const leaderName = nonEmptyString("leaderName", input.leaderName, d.leaderName);
  const leaseTtlMs = wholeMs("leaseTtlMs", input.leaseTtlMs, d.leaseTtlMs, 1_000, MAX_TIMEOUT_MS);
  const renewDefault =
    input.leaseTtlMs === undefined ? d.renewEveryMs : Math.max(100, Math.floor(leaseTtlMs / 3));
  const renewEveryMs = wholeMs(
    "renewEveryMs",
    input.renewEveryMs,
    renewDefault,
    100,
    MAX_TIMEOUT_MS,
  );
  if (renewEveryMs * 2 > leaseTtlMs) {
    throw new MikaMaintenanceOptionsError(
      "renewEveryMs",
      `renewEveryMs must be at most half of leaseTtlMs (${leaseTtlMs}) so renewal happens well inside the lease, got ${renewEveryMs}.`,
    );
  }
  const retention = requireRecord("retention", input.retention ?? {});
  rejectUnknownOptions("retention", retention, MIKA_RUNTIME_RETENTION_KEYS, "retention.");
  return {
    leaderName,
    leaseTtlMs,
    renewEveryMs,
    heartbeatMs: wholeMs("heartbeatMs", input.heartbeatMs, d.heartbeatMs, 100, MAX_TIMEOUT_MS),
    hasMoreDelayMs: wholeMs("hasMoreDelayMs", input.hasMoreDelayMs, d.hasMoreDelayMs, 0, 60_000),
    shutdownGraceMs: wholeMs(
      "shutdownGraceMs",
      input.shutdownGraceMs,
      d.shutdownGraceMs,
      0,
      MAX_TIMEOUT_MS,
    ),
    keepRunsPerLane: wholeMs(
      "retention.runsPerLane",
      retention.runsPerLane,
      d.keepRunsPerLane,
      1,
      100_000,
    ),
    heartbeatRetentionMs: wholeMs(
      "retention.heartbeatMs",
      retention.heartbeatMs,
      d.heartbeatRetentionMs,
      1_000,
      365 * MAX_INTERVAL_MS,
    ),
  };
}

/** Validates a `tick()` budget. */
export function resolveBudget(value: unknown, fallback: number): number {
  return wholeMs("budgetMs", value, fallback, 1, MAX_TIMEOUT_MS);
}

/** Validates an identifier-like string option (instance id, leader name). */
export function nonEmptyString(field: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.trim().length === 0 || value.length > 200) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a non-empty string of at most 200 characters, got ${describe(value)}.`,
    );
  }
  return value;
}

function wholeMs(
  field: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a whole number of milliseconds from ${min} to ${max}, got ${describe(value)}.`,
    );
  }
  return value;
}

function requireRecord(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be an object, got ${describe(value)}.`,
    );
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
