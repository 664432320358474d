import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./support/backend-suite.ts";
import { type CliBackend, prepareStore } from "./support/backends.ts";
import { json, runCli } from "./support/cli-process.ts";
import { seedSweepable } from "./support/seed.ts";

type Summary = {
  ok: boolean;
  failed: string[];
  skipped: string[];
  tasks: Record<
    string,
    { status: string; counters?: Record<string, number>; reason?: string; error?: string }
  >;
};

const SENDER_MODULE = [
  'import { appendFileSync } from "node:fs";',
  "export default {",
  "  sender: async (message) => {",
  '    const line = JSON.stringify({ to: message.to, key: message.idempotencyKey }) + "\\n";',
  '    appendFileSync("mailbox.jsonl", line);',
  '    return { providerMessageId: "pm-" + message.emailId };',
  "  },",
  "};",
].join("\n");

const HOST_MODULE = [
  'import { appendFileSync } from "node:fs";',
  "export default {",
  "  api: { admin: { webhookReplay: async (input) => {",
  '    appendFileSync("replays.jsonl", JSON.stringify(input) + "\\n");',
  "    return { ok: true };",
  "  } } },",
  "  tasks: [{",
  '    key: "hostAudit",',
  '    description: "Audits what the host cares about.",',
  '    lane: { kind: "hygiene", intervalMs: 60000 },',
  "    plan: () => ({ run: async () => ({ audited: 2 }) }),",
  "  }],",
  "};",
].join("\n");

describe.each(BACKENDS)("CLI commands on %s", (name, create) => {
  const backends: CliBackend[] = [];

  /** A database of its own for one test, migrated unless asked not to, with the config modules. */
  async function fresh(options: { migrated?: boolean; seeded?: boolean } = {}) {
    const backend = await create(`commands_${name}`);
    backends.push(backend);
    writeFileSync(path.join(backend.dir, "sender.mjs"), SENDER_MODULE);
    writeFileSync(
      path.join(backend.dir, "failing.mjs"),
      'export default { releaseExpiredReservations: async () => { throw new Error("inventory service is down"); } };\n',
    );
    if (options.migrated !== false) {
      await prepareStore(backend, options.seeded ? seedSweepable : undefined);
    }
    const cli = (...args: string[]) => runCli([...args, ...backend.flags], { cwd: backend.dir });
    return { backend, cli };
  }

  afterAll(async () => {
    await Promise.all(backends.map((backend) => backend.dispose()));
  });

  it("migrates, reports migration status, and migrates again as a no-op", async () => {
    const { cli } = await fresh({ migrated: false });
    const first = await cli("migrate", "--json");
    expect(first.code, first.stderr).toBe(0);
    const applied = json<{ applied: { name: string }[]; pending: string[]; appliedNow: string[] }>(
      first,
    );
    expect(applied.pending).toEqual([]);
    expect(applied.appliedNow.length).toBeGreaterThan(0);

    const status = json<{ pending: string[]; applied: unknown[] }>(
      await cli("migrate", "--status", "--json"),
    );
    expect(status.pending).toEqual([]);
    expect(status.applied).toHaveLength(applied.applied.length);

    const again = await cli("migrate", "--table");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already up to date/);
  });

  it("sweeps once: JSON off a terminal, email skipped without a sender, backlog in status", async () => {
    const { cli } = await fresh({ seeded: true });
    const once = await cli("once");
    expect(once.code, once.stderr).toBe(0);
    const summary = json<Summary>(once);
    expect(summary.ok).toBe(true);
    expect(summary.tasks.stockReservations?.counters).toMatchObject({
      reservationsReleased: 3,
      stockItems: 1,
    });
    expect(summary.tasks.ephemeralRecords?.counters?.purged).toBe(10);
    expect(summary.skipped).toEqual(["emailOutbox", "webhookRetries"]);
    expect(summary.tasks.emailOutbox?.reason).toMatch(
      /needs an emailOutboxRunner .* which the host did not provide/,
    );

    const status = await cli("status");
    expect(status.code, status.stderr).toBe(0);
    const report = json<{
      leader: unknown;
      lanes: { lane: string; health: string; lastHolder: string; lastRun: { status: string } }[];
      backlog: Record<string, { count: number; oldestAgeMs: number | null }>;
    }>(status);
    expect(report.leader).toBeNull();
    const stock = report.lanes.find((lane) => lane.lane === "stockReservations")!;
    expect(stock).toMatchObject({ health: "ok", lastRun: { status: "completed" } });
    expect(stock.lastHolder).toMatch(/^once:/);
    expect(report.lanes.find((lane) => lane.lane === "emailOutbox")?.health).toBe("skipped");
    expect(report.backlog.dueEmails?.count).toBe(5);
    expect(report.backlog.dueEmails?.oldestAgeMs).toBeGreaterThanOrEqual(120_000);
    expect(report.backlog.expiredReservations).toMatchObject({ count: 0, oldestAgeMs: null });
  });

  it("drains email through the --config sender and prints a table with --table", async () => {
    const { backend, cli } = await fresh({ seeded: true });
    const once = await cli("once", "--config", "./sender.mjs", "--table");
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/│ emailOutbox +│ completed │ .* │ sent 5 +│/);
    expect(once.stdout).toMatch(/│ stockReservations +│ completed │/);
    const mailbox = readFileSync(path.join(backend.dir, "mailbox.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(mailbox).toHaveLength(5);
    const status = json<{ backlog: { dueEmails: { count: number } } }>(
      await cli("status", "--json"),
    );
    expect(status.backlog.dueEmails.count).toBe(0);
  });

  it("runs a --config host task and replays due webhooks through its driver; status lists the host lane", async () => {
    const { backend, cli } = await fresh();
    const store = backend.open();
    try {
      const past = new Date(Date.now() - 60_000).toISOString();
      await store.ops.enqueueWorkflow({
        id: "wf-paid",
        name: "payment_webhook_fulfillment",
        subjectId: "wh-paid",
        nextAttemptAt: past,
        now: past,
      });
    } finally {
      await store.close();
    }
    writeFileSync(path.join(backend.dir, "host.mjs"), HOST_MODULE);
    const once = await cli("once", "--config", "./host.mjs", "--table");
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/│ webhookRetries +│ completed │ .* │ replayed 1 webhooks +│/);
    expect(once.stdout).toMatch(/│ hostAudit +│ completed │ .* │ audited=2 +│/);
    const replays = readFileSync(path.join(backend.dir, "replays.jsonl"), "utf8").trim();
    expect(JSON.parse(replays)).toEqual({
      webhookId: "wh-paid",
      idempotencyKey: "mika-webhook-retry:wf-paid:1",
    });
    const status = json<{ lanes: { lane: string; lastRun: { status: string } | null }[] }>(
      await cli("status", "--config", "./host.mjs", "--json"),
    );
    expect(status.lanes.find((lane) => lane.lane === "hostAudit")).toMatchObject({
      lastRun: { status: "completed" },
    });

    const onlyHost = await cli("once", "--config", "./host.mjs", "--only", "hostAudit", "--json");
    expect(onlyHost.code, onlyHost.stderr).toBe(0);
    expect(Object.keys(json<Summary>(onlyHost).tasks)).toEqual(["hostAudit"]);
    const unknown = await cli("once", "--config", "./host.mjs", "--only", "hostAduit");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--only names an unknown task "hostAduit"; tasks are emailOutbox, .*, webhookRetries, hostAudit\./,
    );
  });

  it("exits 1 when a task failed, naming it", async () => {
    const { cli } = await fresh({ seeded: true });
    const once = await cli("once", "--config", "./failing.mjs");
    expect(once.code).toBe(1);
    const summary = json<Summary>(once);
    expect(summary.failed).toEqual(["stockReservations"]);
    expect(summary.tasks.stockReservations?.error).toBe("inventory service is down");
    const check = await cli("status", "--check", "--json");
    expect(check.code).toBe(1);
    // It says why, one line per reason (a slow machine may add lanes that went overdue).
    expect(check.stderr).toMatch(
      /^mika-maintenance: status check failed: stockReservations: its last pass failed \(.* ago, by once:.*\): inventory service is down$/m,
    );
  });

  it("never runs a lane twice across concurrent ticks", async () => {
    const { cli } = await fresh({ seeded: true });
    // `once` never claims lanes, so every lane is due for the first tick.
    const ticks = await Promise.all(
      ["a", "b", "c"].map((id) => cli("tick", "--budget", "20000", "--instance-id", `tick-${id}`)),
    );
    const reports = ticks.map((tick) => {
      expect(tick.code, tick.stderr).toBe(0);
      return json<{
        lanes: { lane: string; outcome: string; passes: { counters: Record<string, number> }[] }[];
      }>(tick);
    });
    for (const lane of reports[0]!.lanes.map((entry) => entry.lane)) {
      const outcomes = reports.map(
        (report) => report.lanes.find((entry) => entry.lane === lane)!.outcome,
      );
      expect(
        outcomes.filter((outcome) => outcome === "ran"),
        `${lane}: ${outcomes.join(", ")}`,
      ).toHaveLength(1);
      for (const outcome of outcomes.filter((entry) => entry !== "ran")) {
        expect(["claimed_elsewhere", "not_due"]).toContain(outcome);
      }
    }
    const released = reports.flatMap((report) =>
      report.lanes
        .filter((lane) => lane.lane === "stockReservations")
        .flatMap((lane) => lane.passes),
    );
    expect(released.map((pass) => pass.counters.reservationsReleased)).toEqual([3]);

    // Hygiene lanes (every minute or more) cannot be due again yet; 5 s lanes may be, since
    // starting a process takes seconds here.
    const again = json<{ lanes: { kind: string; outcome: string }[] }>(
      await cli("tick", "--budget", "5000"),
    );
    const hygiene = again.lanes.filter((lane) => lane.kind === "hygiene");
    expect(hygiene.map((lane) => lane.outcome)).toEqual(Array(5).fill("not_due"));
  });

  it("returns from tick within its budget when a lane hangs, and exits 1", async () => {
    const { backend, cli } = await fresh();
    writeFileSync(
      path.join(backend.dir, "hang.mjs"),
      "export default { purgeExpiredEphemeralRecords: () => new Promise(() => {}) };\n",
    );
    const tick = await cli(
      "tick",
      "--budget",
      "1500",
      "--config",
      "./hang.mjs",
      "--interval",
      "ephemeralRecords=100",
    );
    expect(tick.code, tick.stderr).toBe(1);
    const report = json<{
      durationMs: number;
      ok: boolean;
      lanes: { lane: string; passes: { status: string }[] }[];
    }>(tick);
    expect(report.durationMs).toBeLessThanOrEqual(1_500);
    expect(report.lanes.find((lane) => lane.lane === "ephemeralRecords")?.passes).toMatchObject([
      { status: "abandoned" },
    ]);
  });
});
