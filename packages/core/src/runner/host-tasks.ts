import { MikaMaintenanceOptionsError } from "../errors.ts";
import { MIKA_MAINTENANCE_TASKS } from "../tasks/registry.ts";
import { describeValue } from "../validation/describe-value.ts";
import type { MikaMaintenanceTask } from "./task.ts";

const KEY_PATTERN = /^[a-z][A-Za-z0-9]{0,63}$/;
const LANE_KINDS = ["user-visible", "hygiene"];
const RUNS_ON = ["leader", "every-replica"];
const TASK_KEYS = new Set(["key", "description", "lane", "plan"]);
const LANE_KEYS = new Set(["kind", "intervalMs", "runsOn", "timeoutMs"]);
const MIN_MS = 100;
const MAX_INTERVAL_MS = 86_400_000;
const MAX_TIMEOUT_MS = 3_600_000;

/**
 * Validates host-defined tasks (`tasks`) and returns every task in run order: the built-in ones,
 * then the host's. A key must be camelCase (it names a result field, a lane and a log field) and
 * clash with neither a built-in task, `now`, nor another host task; each error names the field.
 */
export function withHostTasks(tasks: unknown): readonly MikaMaintenanceTask[] {
  const builtIn = MIKA_MAINTENANCE_TASKS as readonly MikaMaintenanceTask[];
  if (tasks === undefined) return builtIn;
  if (!Array.isArray(tasks)) {
    throw new MikaMaintenanceOptionsError(
      "tasks",
      `tasks must be an array of defineMaintenanceTask(...) definitions, got ${describeValue(tasks)}.`,
    );
  }
  const taken = new Set<string>(["now", ...builtIn.map((task) => task.key)]);
  const host = tasks.map((task: unknown, index) => {
    const checked = validateHostTask(`tasks[${index}]`, task);
    if (taken.has(checked.key)) {
      throw new MikaMaintenanceOptionsError(
        `tasks[${index}].key`,
        `Task key "${checked.key}" is already taken (by a built-in task, \`now\` or an earlier host task); taken keys: ${[...taken].join(", ")}.`,
      );
    }
    taken.add(checked.key);
    return checked;
  });
  return [...builtIn, ...host];
}

function validateHostTask(field: string, task: unknown): MikaMaintenanceTask {
  const record = requireRecord(field, task);
  for (const name of Object.keys(record)) {
    if (!TASK_KEYS.has(name)) {
      throw new MikaMaintenanceOptionsError(
        `${field}.${name}`,
        `Unknown host task field "${name}". Allowed: ${[...TASK_KEYS].join(", ")} (run limits are for built-in tasks; a host task reads its own configuration).`,
      );
    }
  }
  const { key, description, plan } = record;
  if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
    throw new MikaMaintenanceOptionsError(
      `${field}.key`,
      `${field}.key must be a camelCase name (a letter a-z, then letters and digits, at most 64), got ${describeValue(key)}.`,
    );
  }
  if (typeof description !== "string" || description.trim().length === 0) {
    throw new MikaMaintenanceOptionsError(
      `${field}.description`,
      `${field}.description must be a non-empty string, got ${describeValue(description)}.`,
    );
  }
  if (typeof plan !== "function") {
    throw new MikaMaintenanceOptionsError(
      `${field}.plan`,
      `${field}.plan must be a function returning { run } or { skip }, got ${describeValue(plan)}.`,
    );
  }
  const lane = requireRecord(`${field}.lane`, record.lane);
  for (const name of Object.keys(lane)) {
    if (!LANE_KEYS.has(name)) {
      throw new MikaMaintenanceOptionsError(
        `${field}.lane.${name}`,
        `Unknown lane field "${name}". Allowed: ${[...LANE_KEYS].join(", ")}.`,
      );
    }
  }
  oneOf(`${field}.lane.kind`, lane.kind, LANE_KINDS, false);
  oneOf(`${field}.lane.runsOn`, lane.runsOn, RUNS_ON, true);
  wholeMs(`${field}.lane.intervalMs`, lane.intervalMs, MAX_INTERVAL_MS, false);
  wholeMs(`${field}.lane.timeoutMs`, lane.timeoutMs, MAX_TIMEOUT_MS, true);
  return task as MikaMaintenanceTask;
}

function requireRecord(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be an object, got ${describeValue(value)}.`,
    );
  }
  return value as Record<string, unknown>;
}

function oneOf(field: string, value: unknown, allowed: string[], optional: boolean): void {
  if (optional && value === undefined) return;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be one of ${allowed.join(", ")}, got ${describeValue(value)}.`,
    );
  }
}

function wholeMs(field: string, value: unknown, max: number, optional: boolean): void {
  if (optional && value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_MS || value > max) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a whole number of milliseconds from ${MIN_MS} to ${max}, got ${describeValue(value)}.`,
    );
  }
}
