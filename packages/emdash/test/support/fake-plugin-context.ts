import type { LogAccess, PluginContext } from "emdash";

type CronAccess = NonNullable<PluginContext["cron"]>;
type CronTaskInfo = Awaited<ReturnType<CronAccess["list"]>>[number];

/** One line logged through the fake `ctx.log`. */
export interface LoggedLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  data: unknown;
}

/** A hand-made plugin context: an in-memory cron table and a log that records every line. */
export interface FakePluginContext {
  cron: CronAccess | undefined;
  log: LogAccess;
  tasks: Map<string, CronTaskInfo>;
  lines: LoggedLine[];
  calls: string[];
}

/** Creates a fake context; `withCron: false` mimics a PluginManager context without cron. */
export function createFakePluginContext(
  options: { withCron?: boolean; nextRunAt?: string } = {},
): FakePluginContext {
  const tasks = new Map<string, CronTaskInfo>();
  const lines: LoggedLine[] = [];
  const calls: string[] = [];
  const nextRunAt = options.nextRunAt ?? "2026-06-21T10:01:00.000Z";
  const cron: CronAccess = {
    async schedule(name, opts) {
      calls.push(`schedule:${name}:${opts.schedule}`);
      tasks.set(name, { name, schedule: opts.schedule, nextRunAt, lastRunAt: null });
    },
    async cancel(name) {
      calls.push(`cancel:${name}`);
      tasks.delete(name);
    },
    async list() {
      calls.push("list");
      return [...tasks.values()];
    },
  };
  const record =
    (level: LoggedLine["level"]) =>
    (message: string, data?: unknown): void => {
      lines.push({ level, message, data });
    };
  const log: LogAccess = {
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
  return { cron: options.withCron === false ? undefined : cron, log, tasks, lines, calls };
}
