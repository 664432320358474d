import type { KVAccess, PluginAdminConfig } from "emdash";
import { isValidCronExpression } from "./cron-expression.ts";
import { describeValue, type MikaResolvedMaintenanceSettings } from "./plugin-options.ts";

type SettingField = NonNullable<PluginAdminConfig["settingsSchema"]>[string];

/** Where EmDash's settings form stores a value: `ctx.kv` key `settings:<name>`. */
const SETTING_KEYS = { enabled: "settings:enabled", schedule: "settings:schedule" } as const;

/** The settings in effect and where they came from; `issues` names stored values set aside. */
export interface MikaEffectiveSettings extends MikaResolvedMaintenanceSettings {
  source: { enabled: "admin" | "descriptor"; schedule: "admin" | "descriptor" };
  issues: string[];
}

/**
 * EmDash's `admin.settingsSchema`: `enabled` and `schedule`, with the descriptor's values as the
 * defaults. EmDash renders the form and stores the values; the plugin validates them when it
 * reads them, with the same rules as `mikaPlugin()`.
 */
export function maintenanceSettingsSchema(
  defaults: Pick<MikaResolvedMaintenanceSettings, "enabled" | "schedule">,
): Record<string, SettingField> {
  return {
    enabled: {
      type: "boolean",
      label: "Run maintenance",
      description: "Off cancels the mika_maintenance cron task at the next reconcile.",
      default: defaults.enabled,
    },
    schedule: {
      type: "string",
      label: "Schedule",
      description:
        'Cron expression such as "* * * * *", "*/5 * * * *" or "@hourly". Takes effect at the next reconcile (admin page, server start, or the next tick) without an extra run on the old schedule.',
      default: defaults.schedule,
    },
  };
}

/** Checks one stored setting with the descriptor's rules; returns the problem or null. */
export function checkSetting(name: "enabled" | "schedule", value: unknown): string | null {
  if (name === "enabled") {
    return typeof value === "boolean"
      ? null
      : `enabled: expected a boolean, got ${describeValue(value)}`;
  }
  if (typeof value !== "string") return `schedule: expected string, got ${describeValue(value)}`;
  return isValidCronExpression(value)
    ? null
    : 'schedule: must be a cron expression such as "* * * * *", "*/5 * * * *" or "@hourly" ' +
        `(5 fields, or 6 with seconds), got ${describeValue(value)}`;
}

/**
 * The settings in effect: values saved in EmDash's admin over the descriptor's defaults. A saved
 * value that fails validation is set aside (the default applies) and named in `issues`.
 */
export async function readMaintenanceSettings(
  kv: Pick<KVAccess, "get"> | undefined,
  defaults: MikaResolvedMaintenanceSettings,
): Promise<MikaEffectiveSettings> {
  const settings: MikaEffectiveSettings = {
    enabled: defaults.enabled,
    schedule: defaults.schedule,
    hookTimeoutMs: defaults.hookTimeoutMs,
    source: { enabled: "descriptor", schedule: "descriptor" },
    issues: [],
  };
  if (!kv) return settings;
  const [enabled, schedule] = await Promise.all([
    kv.get<unknown>(SETTING_KEYS.enabled),
    kv.get<unknown>(SETTING_KEYS.schedule),
  ]);
  if (enabled !== null && enabled !== undefined) {
    const problem = checkSetting("enabled", enabled);
    if (problem) settings.issues.push(problem);
    else {
      settings.enabled = enabled as boolean;
      settings.source.enabled = "admin";
    }
  }
  if (schedule !== null && schedule !== undefined && schedule !== "") {
    const problem = checkSetting("schedule", schedule);
    if (problem) settings.issues.push(problem);
    else {
      settings.schedule = schedule as string;
      settings.source.schedule = "admin";
    }
  }
  return settings;
}

/** Saves validated settings where EmDash's settings form keeps them. */
export async function saveMaintenanceSettings(
  kv: Pick<KVAccess, "set">,
  values: { enabled?: unknown; schedule?: unknown },
): Promise<string[]> {
  const problems: string[] = [];
  if (values.enabled !== undefined) {
    const problem = checkSetting("enabled", values.enabled);
    if (problem) problems.push(problem);
  }
  if (values.schedule !== undefined) {
    const problem = checkSetting("schedule", values.schedule);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) return problems;
  if (values.enabled !== undefined) await kv.set(SETTING_KEYS.enabled, values.enabled);
  if (values.schedule !== undefined) await kv.set(SETTING_KEYS.schedule, values.schedule);
  return [];
}
