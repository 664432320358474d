import {
  defineMaintenanceTask,
  MikaMaintenanceOptionsError,
  type MikaMaintenanceRunOptions,
  type MikaMaintenanceRunResult,
} from "@mika-maintenance/core";
import type { PluginContext, ResolvedPlugin } from "emdash";
import { describe, expect, it } from "vitest";
import {
  createFakePluginContext,
  type FakePluginContext,
} from "../test/support/fake-plugin-context.ts";
import {
  MIKA_DEFAULT_HOOK_TIMEOUT_MS,
  MIKA_MAINTENANCE_TASK,
  MIKA_PLUGIN_ID,
} from "./constants.ts";
import { createPlugin } from "./create-plugin.ts";
import { MikaPluginOptionsError, MikaStockReservationReleaseError } from "./errors.ts";

const SCHEDULED_AT = "2026-06-21T10:00:00.000Z";

type HookName = "plugin:install" | "plugin:activate" | "plugin:deactivate" | "plugin:uninstall";

async function fire(plugin: ResolvedPlugin, hook: HookName, ctx: FakePluginContext): Promise<void> {
  const resolved = plugin.hooks[hook];
  if (!resolved) throw new Error(`no ${hook} hook`);
  await (resolved.handler as (event: unknown, ctx: PluginContext) => Promise<void>)(
    hook === "plugin:uninstall" ? { deleteData: false } : {},
    ctx as unknown as PluginContext,
  );
}

async function runCron(
  plugin: ResolvedPlugin,
  ctx: FakePluginContext,
  event: { name: string; scheduledAt?: string; data?: Record<string, unknown> },
): Promise<void> {
  const hook = plugin.hooks.cron;
  if (!hook) throw new Error("no cron hook");
  await hook.handler({ scheduledAt: SCHEDULED_AT, ...event }, ctx as unknown as PluginContext);
}

async function renderPage(plugin: ResolvedPlugin, ctx: FakePluginContext): Promise<unknown> {
  const hook = plugin.hooks["page:metadata"];
  if (!hook) throw new Error("no page:metadata hook");
  return hook.handler({ page: {} as never }, ctx as unknown as PluginContext);
}

/** The logged lines of a run, without the "scheduled" line of a first reconcile. */
function runLines(ctx: FakePluginContext) {
  return ctx.lines.filter((line) => line.message !== "mika_maintenance scheduled");
}

const completed = <T>(result: T) => ({ status: "completed" as const, result, durationMs: 1 });
const skipped = {
  status: "skipped" as const,
  reason: "The task needs something, which the host did not provide.",
};

function runResult(overrides: Partial<MikaMaintenanceRunResult> = {}): MikaMaintenanceRunResult {
  return {
    now: SCHEDULED_AT,
    emailOutbox: skipped,
    stuckEmails: skipped,
    rawProviderPayloads: skipped,
    acpSessions: skipped,
    stockReservations: completed({
      reservationsScanned: 2,
      reservationsReleased: 2,
      stockItems: 1,
      hasMore: false,
    }),
    ephemeralRecords: skipped,
    accountDeleteRequests: skipped,
    stuckWorkflows: skipped,
    webhookRetries: skipped,
    ...overrides,
  } as MikaMaintenanceRunResult;
}

/** A runner that records each run's options and answers with `result`. */
function recordingRunner(result: MikaMaintenanceRunResult | Error = runResult()) {
  const runs: MikaMaintenanceRunOptions[] = [];
  return {
    runs,
    runner: {
      async runOnce(options?: MikaMaintenanceRunOptions) {
        runs.push(options ?? {});
        if (result instanceof Error) throw result;
        return result;
      },
    },
  };
}

describe("createPlugin()", () => {
  it("defines the plugin with lifecycle, page and cron hooks", () => {
    const plugin = createPlugin();
    expect(plugin.id).toBe(MIKA_PLUGIN_ID);
    expect(Object.keys(plugin.hooks).sort()).toEqual([
      "cron",
      "page:metadata",
      "plugin:activate",
      "plugin:deactivate",
      "plugin:install",
      "plugin:uninstall",
    ]);
    expect(plugin.capabilities).toEqual([]);
  });

  it("gives the cron hook a timeout long enough for a sweep", () => {
    expect(createPlugin().hooks.cron?.timeout).toBe(MIKA_DEFAULT_HOOK_TIMEOUT_MS);
    expect(MIKA_DEFAULT_HOOK_TIMEOUT_MS).toBeGreaterThan(5_000);
    const custom = createPlugin({ maintenance: { hookTimeoutMs: 30_000 } });
    expect(custom.hooks.cron?.timeout).toBe(30_000);
  });

  it("validates the options and names the bad field", () => {
    expect(() => createPlugin({ maintenance: { schedule: "every minute" } })).toThrow(
      /maintenance\.schedule: must be a cron expression/,
    );
    expect(() => createPlugin({ maintenance: { hookTimeoutMs: 3_600_000 } })).toThrow(
      MikaPluginOptionsError,
    );
    expect(() => createPlugin({ maintenance: { emailOutboxRunner: {} as never } })).toThrow(
      /maintenance\.emailOutboxRunner: expected an email outbox runner/,
    );
    expect(() => createPlugin({ cleanupExpiredAcpSessions: "nope" as never })).toThrow(
      /cleanupExpiredAcpSessions: expected a function/,
    );
  });

  it("validates run options when the plugin is created, not at the first tick", () => {
    expect(() => createPlugin({ maintenance: { runOptions: { emailLimit: -1 } } })).toThrow(
      MikaMaintenanceOptionsError,
    );
  });
});

describe("scheduling", () => {
  it("schedules mika_maintenance every minute on install", async () => {
    const ctx = createFakePluginContext();
    await fire(createPlugin(), "plugin:install", ctx);
    expect(ctx.tasks.get(MIKA_MAINTENANCE_TASK)?.schedule).toBe("* * * * *");
    expect(ctx.lines).toContainEqual(
      expect.objectContaining({ level: "info", message: "mika_maintenance scheduled" }),
    );
  });

  it("uses maintenance.schedule", async () => {
    const ctx = createFakePluginContext();
    await fire(createPlugin({ maintenance: { schedule: "*/5 * * * *" } }), "plugin:activate", ctx);
    expect(ctx.tasks.get(MIKA_MAINTENANCE_TASK)?.schedule).toBe("*/5 * * * *");
  });

  it("is idempotent: an existing task with the same schedule is left alone", async () => {
    const ctx = createFakePluginContext();
    const plugin = createPlugin();
    await fire(plugin, "plugin:install", ctx);
    await fire(plugin, "plugin:activate", ctx);
    await fire(plugin, "plugin:activate", ctx);
    expect(ctx.calls.filter((call) => call.startsWith("schedule:"))).toEqual([
      "schedule:mika_maintenance:* * * * *",
    ]);
  });

  it("reschedules when the configured schedule changed", async () => {
    const ctx = createFakePluginContext();
    await fire(createPlugin(), "plugin:install", ctx);
    await fire(createPlugin({ maintenance: { schedule: "0 * * * *" } }), "plugin:activate", ctx);
    expect(ctx.tasks.get(MIKA_MAINTENANCE_TASK)?.schedule).toBe("0 * * * *");
  });

  it("cancels instead of scheduling when maintenance is disabled", async () => {
    const ctx = createFakePluginContext();
    await fire(createPlugin(), "plugin:install", ctx);
    await fire(createPlugin({ maintenance: { enabled: false } }), "plugin:activate", ctx);
    expect(ctx.tasks.has(MIKA_MAINTENANCE_TASK)).toBe(false);
    expect(ctx.calls).toContain("cancel:mika_maintenance");
  });

  it.each(["plugin:deactivate", "plugin:uninstall"] as const)("cancels on %s", async (hook) => {
    const ctx = createFakePluginContext();
    const plugin = createPlugin();
    await fire(plugin, "plugin:install", ctx);
    await fire(plugin, hook, ctx);
    expect(ctx.tasks.size).toBe(0);
  });

  it("warns instead of failing when the context has no cron access", async () => {
    const ctx = createFakePluginContext({ withCron: false });
    await fire(createPlugin(), "plugin:install", ctx);
    expect(ctx.lines).toEqual([
      expect.objectContaining({ level: "warn", message: expect.stringContaining("ctx.cron") }),
    ]);
  });

  it("schedules on the first page render, once per plugin instance", async () => {
    const ctx = createFakePluginContext();
    const plugin = createPlugin();
    expect(await renderPage(plugin, ctx)).toBeNull();
    await renderPage(plugin, ctx);
    expect(ctx.tasks.get(MIKA_MAINTENANCE_TASK)?.schedule).toBe("* * * * *");
    expect(ctx.calls).toEqual(["list", "schedule:mika_maintenance:* * * * *"]);
  });

  it("retries on a later render when scheduling failed, without breaking the page", async () => {
    const ctx = createFakePluginContext();
    const cron = ctx.cron!;
    const list = cron.list;
    cron.list = async () => {
      throw new Error("database is locked");
    };
    const plugin = createPlugin();
    expect(await renderPage(plugin, ctx)).toBeNull();
    expect(ctx.lines).toContainEqual(
      expect.objectContaining({ level: "warn", data: { error: "database is locked" } }),
    );
    cron.list = list;
    await renderPage(plugin, ctx);
    expect(ctx.tasks.has(MIKA_MAINTENANCE_TASK)).toBe(true);
  });
});

describe("cron hook", () => {
  it("ignores other task names", async () => {
    const { runner, runs } = recordingRunner();
    const ctx = createFakePluginContext();
    await runCron(createPlugin({ runner }), ctx, { name: "someone_else" });
    expect(runs).toEqual([]);
    expect(ctx.lines).toEqual([]);
  });

  it("runs one sweep at event.scheduledAt and logs the summary with info", async () => {
    const { runner, runs } = recordingRunner();
    const ctx = createFakePluginContext();
    await fire(createPlugin({ runner }), "plugin:install", ctx);
    ctx.lines.length = 0;
    await runCron(createPlugin({ runner }), ctx, { name: MIKA_MAINTENANCE_TASK });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.now).toBe(SCHEDULED_AT);
    expect(runs[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.lines).toEqual([
      {
        level: "info",
        message: "mika_maintenance finished",
        data: expect.objectContaining({
          now: SCHEDULED_AT,
          ok: true,
          failed: "none",
          notStarted: "none",
          stockReservations:
            "completed in 1 ms: reservationsScanned=2 reservationsReleased=2 stockItems=1 hasMore=false",
        }),
      },
    ]);
  });

  it("passes the configured run options to every run", async () => {
    const { runner, runs } = recordingRunner();
    const plugin = createPlugin({ runner, maintenance: { runOptions: { emailLimit: 5 } } });
    await runCron(plugin, createFakePluginContext(), { name: MIKA_MAINTENANCE_TASK });
    expect(runs[0]).toMatchObject({ emailLimit: 5, now: SCHEDULED_AT });
  });

  it("logs a summary without item lists", async () => {
    const { runner } = recordingRunner(
      runResult({
        emailOutbox: completed({
          scanned: 1,
          leased: 1,
          sent: 1,
          failed: 0,
          skipped: 0,
          leaseMissed: 0,
          leaseLost: 0,
          hasMore: false,
          items: [{ emailId: "email-1", status: "sent" }],
        }),
      } as never),
    );
    const ctx = createFakePluginContext();
    await runCron(createPlugin({ runner }), ctx, { name: MIKA_MAINTENANCE_TASK });
    const logged = JSON.stringify(ctx.lines);
    expect(logged).toContain(" sent=1 ");
    expect(logged).not.toContain("email-1");
  });

  it("warns when a task failed, and does not throw for tasks other than stockReservations", async () => {
    const { runner } = recordingRunner(
      runResult({ stuckEmails: { status: "failed", error: "connection reset", durationMs: 3 } }),
    );
    const ctx = createFakePluginContext();
    await runCron(createPlugin({ runner }), ctx, { name: MIKA_MAINTENANCE_TASK });
    expect(ctx.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: "mika_maintenance finished with failed tasks: stuckEmails",
        data: expect.objectContaining({ ok: false, failed: "stuckEmails" }),
      }),
    );
  });

  it("rethrows a stockReservations failure after logging it", async () => {
    const { runner } = recordingRunner(
      runResult({
        stockReservations: { status: "failed", error: "deadlock detected", durationMs: 4 },
      }),
    );
    const ctx = createFakePluginContext();
    const run = runCron(createPlugin({ runner }), ctx, { name: MIKA_MAINTENANCE_TASK });
    await expect(run).rejects.toBeInstanceOf(MikaStockReservationReleaseError);
    await expect(run).rejects.toMatchObject({
      code: "MIKA_STOCK_RESERVATION_RELEASE_FAILED",
      message: expect.stringContaining("deadlock detected"),
    });
    expect(runLines(ctx)[0]).toMatchObject({
      level: "warn",
      data: expect.objectContaining({ failed: "stockReservations" }),
    });
  });

  it("logs and rethrows when the runner cannot start", async () => {
    const { runner } = recordingRunner(new Error("invalid now"));
    const ctx = createFakePluginContext();
    await expect(
      runCron(createPlugin({ runner }), ctx, { name: MIKA_MAINTENANCE_TASK }),
    ).rejects.toThrow("invalid now");
    expect(runLines(ctx)).toEqual([
      expect.objectContaining({
        level: "error",
        data: { scheduledAt: SCHEDULED_AT, error: "invalid now" },
      }),
    ]);
  });

  it("moves a tick due on a changed schedule to the new one without running it", async () => {
    const { runner, runs } = recordingRunner();
    const ctx = createFakePluginContext();
    await fire(createPlugin({ runner }), "plugin:install", ctx);
    await runCron(createPlugin({ runner, maintenance: { schedule: "*/10 * * * *" } }), ctx, {
      name: MIKA_MAINTENANCE_TASK,
    });
    expect(runs).toEqual([]);
    // Replaced, not updated, so EmDash's end-of-run write to the claimed row misses it.
    expect(ctx.calls.slice(-3)).toEqual([
      "list",
      "cancel:mika_maintenance",
      "schedule:mika_maintenance:*/10 * * * *",
    ]);
    expect(ctx.lines.at(-1)).toMatchObject({
      message: "mika_maintenance skipped a tick of its old schedule",
    });
  });

  it("cancels a leftover task instead of running when maintenance is disabled", async () => {
    const { runner, runs } = recordingRunner();
    const ctx = createFakePluginContext();
    await fire(createPlugin({ runner }), "plugin:install", ctx);
    await runCron(createPlugin({ runner, maintenance: { enabled: false } }), ctx, {
      name: MIKA_MAINTENANCE_TASK,
    });
    expect(runs).toEqual([]);
    expect(ctx.tasks.size).toBe(0);
  });
});

describe("run logs", () => {
  it("warns, saying what to wire, when every task was skipped", async () => {
    const ctx = createFakePluginContext();
    await runCron(createPlugin(), ctx, { name: MIKA_MAINTENANCE_TASK });
    const [line] = runLines(ctx);
    expect(line?.level).toBe("warn");
    expect(line?.message).toBe(
      "mika_maintenance ran with nothing wired: every task was skipped. To run them, pass repositories (e.g. createLibsqlRepositories()), an emailOutboxRunner and the host api to createPlugin() in the plugin entrypoint named by mikaPlugin({ entrypoint }).",
    );
  });

  it("warns and names the tasks a run did not start after its time limit", async () => {
    const notStarted = {
      status: "skipped" as const,
      reason: "Not started: the run was aborted before this task (the run's time limit passed).",
      notStarted: true as const,
    };
    const { runner } = recordingRunner(
      runResult({ ephemeralRecords: notStarted, stuckWorkflows: notStarted } as never),
    );
    const ctx = createFakePluginContext();
    await runCron(createPlugin({ runner }), ctx, { name: MIKA_MAINTENANCE_TASK });
    expect(runLines(ctx)[0]).toMatchObject({
      level: "warn",
      message:
        "mika_maintenance stopped at its time limit; not started: ephemeralRecords, stuckWorkflows",
      data: expect.objectContaining({ notStarted: "ephemeralRecords, stuckWorkflows" }),
    });
  });
});

describe("cron hook with the core runner", () => {
  it("releases reservations through the host function at scheduledAt", async () => {
    const calls: Array<{ now: string; limit: number }> = [];
    const plugin = createPlugin({
      releaseExpiredReservations: async (input) => {
        calls.push(input);
        return { reservationsScanned: 3, reservationsReleased: 3, stockItems: 2, hasMore: false };
      },
    });
    const ctx = createFakePluginContext();
    await runCron(plugin, ctx, { name: MIKA_MAINTENANCE_TASK });
    expect(calls).toEqual([{ now: SCHEDULED_AT, limit: 500 }]);
    expect(runLines(ctx)[0]).toMatchObject({
      level: "info",
      data: {
        skipped: expect.stringContaining("emailOutbox, stuckEmails"),
      },
    });
  });

  it("uses the host admin API, and fails the run when it answers ok: false", async () => {
    const plugin = createPlugin({
      api: {
        admin: {
          releaseExpiredReservations: async () => ({
            ok: false,
            error: { message: "admin API down" },
          }),
        },
      },
    });
    const ctx = createFakePluginContext();
    await expect(runCron(plugin, ctx, { name: MIKA_MAINTENANCE_TASK })).rejects.toThrow(
      /admin API down/,
    );
    expect(runLines(ctx)[0]?.level).toBe("warn");
  });

  it("runs host-defined tasks after the built-in ones and logs them with webhookRetries", async () => {
    const audit = defineMaintenanceTask({
      key: "hostAudit",
      description: "Counts what the host looked at.",
      lane: { kind: "hygiene", intervalMs: 60_000 },
      plan: () => ({ run: async () => ({ looked: 3 }) }),
    });
    const ctx = createFakePluginContext();
    await runCron(
      createPlugin({
        api: { admin: { webhookReplay: async () => ({ ok: true }) } },
        maintenance: { tasks: [audit] },
      }),
      ctx,
      { name: MIKA_MAINTENANCE_TASK },
    );
    const line = runLines(ctx).find((entry) => entry.message.startsWith("mika_maintenance"));
    expect(line?.data).toMatchObject({
      hostAudit: expect.stringMatching(/^completed in \d+ ms: looked=3$/),
      webhookRetries: expect.stringContaining("repositories.ops"),
    });
  });

  it("rejects a host task whose key clashes with a built-in task, naming the field", () => {
    const clash = defineMaintenanceTask({
      key: "webhookRetries",
      description: "Clashes.",
      lane: { kind: "hygiene", intervalMs: 60_000 },
      plan: () => ({ skip: "never runs" }),
    });
    expect(() => createPlugin({ maintenance: { tasks: [clash] } })).toThrow(
      expect.objectContaining({ field: "tasks[0].key" }),
    );
  });
});
