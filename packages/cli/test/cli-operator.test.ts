import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./support/backend-suite.ts";
import { type CliBackend, prepareStore } from "./support/backends.ts";
import { BIN, json, runCli, startCli } from "./support/cli-process.ts";
import { seedSweepable } from "./support/seed.ts";

/** A sender that takes 150 ms per email, so a drain outlasts a short budget. */
// One send at a time, so 60 emails of 150 ms each outlast a 3 s tick budget.
const SLOW_SENDER = [
  "export default {",
  "  emailConcurrency: 1,",
  "  sender: async (message) => {",
  "    await new Promise((resolve) => setTimeout(resolve, 150));",
  '    return { providerMessageId: "pm-" + message.emailId };',
  "  },",
  "};",
].join("\n");

type TickReport = {
  ok: boolean;
  backlog: string[];
  failed: string[];
  summary: string;
  durationMs: number;
  lanes: { lane: string; outcome: string; passes: { status: string; hasMore: boolean }[] }[];
};

describe.each(BACKENDS)("operator behaviour on %s", (name, create) => {
  const backends: CliBackend[] = [];

  async function fresh(seed?: (store: ReturnType<CliBackend["open"]>) => Promise<void>) {
    const backend = await create(`ops_${name}`);
    backends.push(backend);
    await prepareStore(backend, seed);
    const cli = (args: string[], env?: Record<string, string>) =>
      runCli([...args, ...backend.flags], { cwd: backend.dir, ...(env ? { env } : {}) });
    return { backend, cli };
  }

  afterAll(async () => {
    await Promise.all(backends.map((backend) => backend.dispose()));
  });

  it("tick: a backlog larger than one budget exits 0, is reported, leaves no instance, and the next tick goes on", async () => {
    const { backend, cli } = await fresh(async (store) => {
      for (let index = 0; index < 60; index++) {
        await store.ops.enqueueEmail({
          to: `shopper-${index}@example.com`,
          subject: `Order ${index}`,
          text: "Thanks!",
          now: new Date(Date.now() - 60_000).toISOString(),
        });
      }
    });
    writeFileSync(path.join(backend.dir, "slow.mjs"), SLOW_SENDER);
    const tick = await cli(["tick", "--budget", "3000", "--config", "./slow.mjs", "--json"]);
    expect(tick.code, tick.stderr).toBe(0);
    const report = json<TickReport>(tick);
    expect(report).toMatchObject({ ok: true, failed: [], backlog: ["emailOutbox"] });
    expect(report.durationMs).toBeLessThanOrEqual(3_000);
    const email = report.lanes.find((lane) => lane.lane === "emailOutbox")!;
    expect(email.passes.every((pass) => pass.status === "completed")).toBe(true);
    expect(email.passes.at(-1)?.hasMore).toBe(true);
    expect(tick.stderr.trim()).toMatch(
      /^tick ok: \d+ passes? in \d+ of 3000 ms; backlog left for the next tick: emailOutbox$/,
    );

    // The backlog is due at the next tick at once; one row per pass, the summary first.
    const next = await cli(["tick", "--budget", "3000", "--config", "./slow.mjs", "--table"], {
      FORCE_COLOR: "0",
    });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout.split("\n")[0]).toMatch(
      /^tick ok: .*backlog left for the next tick: emailOutbox/,
    );
    expect(next.stdout).toMatch(/│ emailOutbox +│ completed/);

    const status = await cli(["status", "--check", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const shown = json<{ instances: unknown[]; backlog: { dueEmails: { count: number } } }>(status);
    // Ticks record their runs but leave no heartbeat that would turn STALE.
    expect(shown.instances).toEqual([]);
    expect(shown.backlog.dueEmails.count).toBeGreaterThan(0);
    expect(shown.backlog.dueEmails.count).toBeLessThan(60);
  });

  it("once --only --limit --drain sweeps the chosen tasks until nothing is left; status --watch redraws", async () => {
    const { backend, cli } = await fresh(seedSweepable);
    const drained = await cli([
      "once",
      "--only",
      "stockReservations,ephemeralRecords",
      "--limit",
      "4",
      "--drain",
    ]);
    expect(drained.code, drained.stderr).toBe(0);
    const report = json<{
      ok: boolean;
      sweeps: number;
      moved: number;
      last: { tasks: Record<string, unknown> };
    }>(drained);
    // 10 nonces at 4 a sweep: 4, 4, 2; the 3 reservations go in the first sweep.
    expect(report).toMatchObject({ ok: true, sweeps: 3, moved: 13 });
    expect(Object.keys(report.last.tasks)).toEqual(["stockReservations", "ephemeralRecords"]);

    const watch = startCli(["status", "--watch", "300", "--json", ...backend.flags], {
      cwd: backend.dir,
    });
    const first = await watch.waitFor((line) => "lanes" in line, "a first status");
    await watch.waitFor((line) => "lanes" in line && line.now !== first.now, "a second status");
    watch.child.kill("SIGTERM");
    expect((await watch.exited).code).toBe(0);
    const lanes = first.lanes as { lane: string; lastRun: unknown; health: string }[];
    expect(lanes.find((lane) => lane.lane === "emailOutbox")?.lastRun).toBeNull();
    expect(lanes.find((lane) => lane.lane === "ephemeralRecords")?.health).toBe("ok");
  });

  it("honours DATABASE_URL and an environment variable for every flag", async () => {
    const { backend } = await fresh();
    const [, url, ...rest] = backend.flags;
    const env: Record<string, string> = { DATABASE_URL: url!, MIKA_JSON: "1" };
    if (rest[0] === "--schema") env.MIKA_SCHEMA = rest[1]!;
    const result = await runCli(["migrate", "--status"], { cwd: backend.dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(json<{ pending: string[]; applied: unknown[] }>(result)).toMatchObject({ pending: [] });
    expect(existsSync(path.join(backend.dir, "mika-maintenance.db"))).toBe(false);
  });

  it("pipes run into head: stdout closes, the runtime shuts down, resigns, exits 0", async () => {
    const { backend, cli } = await fresh();
    const flags = [...backend.flags];
    // A secret in the URL must not reach the startup line.
    if (name === "postgres") flags[1] = `${flags[1]}?password=hunter2`;
    const command = [
      process.execPath,
      "--conditions=dev-source",
      BIN,
      "run",
      ...flags,
      "--instance-id",
      "piped",
      "--heartbeat",
      "500",
    ]
      .map((part) => `'${part}'`)
      .join(" ");
    const shell = spawn(
      "bash",
      ["-c", `${command} | head -2; echo "run exited $\{PIPESTATUS[0]}" >&2`],
      {
        cwd: backend.dir,
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let stdout = "";
    let stderr = "";
    shell.stdout.setEncoding("utf8");
    shell.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    shell.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    await new Promise((resolve) => shell.on("close", resolve));
    expect(stderr).toMatch(/stdout was closed .*shutting down and resigning leadership/);
    expect(stderr).toMatch(/run exited 0/);
    expect(stderr).not.toMatch(/Unhandled 'error' event|EPIPE/);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.msg)).toEqual([
      "maintenance runtime started",
      "leadership.acquired",
    ]);
    expect(stdout).not.toContain("hunter2");

    const status = json<{ leader: { holder: string; live: boolean; ended: string } }>(
      await cli(["status", "--json"]),
    );
    expect(status.leader).toMatchObject({ holder: "piped", live: false, ended: "resigned" });
    const table = await cli(["status", "--table"]);
    expect(table.stdout).toMatch(/the last leader piped \(term 1\) shut down and resigned/);
    expect(table.stdout).not.toMatch(/lapse/);
  });

  it("fits tables to the terminal and colours a failed task, honouring NO_COLOR", async () => {
    const { backend } = await fresh(seedSweepable);
    writeFileSync(
      path.join(backend.dir, "failing.mjs"),
      'export default { releaseExpiredReservations: async () => { throw new Error("inventory service is down"); } };\n',
    );
    const args = [
      process.execPath,
      "--conditions=dev-source",
      BIN,
      "once",
      "--config",
      "./failing.mjs",
      ...backend.flags,
    ]
      .map((part) => `'${part}'`)
      .join(" ");
    const onTerminal = (env: string) =>
      new Promise<string>((resolve) => {
        const { NO_COLOR: _no, FORCE_COLOR: _force, ...clean } = process.env;
        const child = spawn("script", ["-qec", `stty cols 80; ${env} ${args}`, "/dev/null"], {
          cwd: backend.dir,
          env: clean,
          stdio: ["pipe", "pipe", "pipe"],
        });
        child.stdout.setEncoding("utf8");
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
        });
        child.on("close", () => resolve(out));
      });
    const coloured = await onTerminal("");
    expect(coloured).toContain("\u001b[31mFAILED\u001b[39m");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes.
    const visible = coloured.replace(/\u001b\[[0-9;]*m/g, "").replace(/\r/g, "");
    expect(visible.split("\n").filter((line) => line.length > 80)).toEqual([]);
    expect(visible).toMatch(/│ stockReservations +│ FAILED/);
    const plain = await onTerminal("NO_COLOR=1");
    expect(plain).toMatch(/FAILED/);
    expect(plain).not.toContain("\u001b[");
  });
});
