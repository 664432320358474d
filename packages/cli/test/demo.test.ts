import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli-process.ts";

const dirs: string[] = [];

/** A working directory of its own: the demo writes mika-maintenance.db and .mika/ there. */
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mika-demo-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("mika-maintenance demo", () => {
  it("seeds an embedded file, sweeps until drained, prints what moved per task, then status", async () => {
    const dir = freshDir();
    const demo = await runCli(["demo", "--emails", "120"], { cwd: dir });
    expect(demo.code, demo.stderr).toBe(0);

    expect(existsSync(path.join(dir, "mika-maintenance.db"))).toBe(true);
    expect(demo.stdout).toMatch(/embedded libSQL database file:mika-maintenance\.db/);
    expect(demo.stdout).toMatch(/Schema: applied \d+ migration\(s\)/);
    // Progress goes to stderr: plain lines when it is not a terminal.
    expect(demo.stderr).toMatch(/seeded queued emails: 120/);
    expect(demo.stderr).toMatch(/seeded account-delete requests: 2/);

    expect(demo.stdout).toMatch(/Sweep 1 at .*: \d+ rows moved/);
    expect(demo.stdout).toMatch(/│ emailOutbox +│ completed │ .* │ sent 100, more left/);
    expect(demo.stdout).toMatch(/│ stuckEmails +│ completed │ .* │ reclaimed 4 stuck emails/);
    expect(demo.stdout).toMatch(
      /│ accountDeleteRequests +│ completed │ .* │ completed 1, failed 1/,
    );
    expect(demo.stdout).toMatch(
      /│ stockReservations +│ completed │ .* │ released 40 reservations on \d+ items, more left/,
    );
    expect(demo.stdout).toMatch(/Sweep \d+: nothing left to move; every backlog is drained\./);

    // Totals per task over every sweep.
    expect(demo.stdout).toMatch(/│ emailOutbox +│ 2 +│ sent 120/);
    expect(demo.stdout).toMatch(/│ stockReservations +│ 2 +│ released 72 reservations/);
    expect(demo.stdout).toMatch(/│ ephemeralRecords +│ 3 +│ purged 320 expired records/);
    expect(demo.stdout).toMatch(/│ rawProviderPayloads +│ 2 +│ purged 60 raw payloads/);
    expect(demo.stdout).toMatch(/│ acpSessions +│ 1 +│ expired 20, purged 10 sessions/);
    expect(demo.stdout).toMatch(/│ stuckWorkflows +│ 1 +│ reclaimed 3 stuck workflows/);

    expect(demo.stdout).toMatch(/\$ mika-maintenance status/);
    expect(demo.stdout).toMatch(/│ due emails +│ 0 +│ - +│/);
    expect(demo.stdout).toMatch(/│ queued account deletions +│ 0 +│ - +│/);
    expect(demo.stdout).toMatch(/│ ACP sessions past TTL +│ 0 +│ - +│/);

    const mailbox = readFileSync(path.join(dir, ".mika", "demo-mailbox.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(mailbox).toHaveLength(120);
    expect(JSON.parse(mailbox[0]!)).toMatchObject({ to: expect.stringMatching(/@example\.com$/) });
  });

  it("reuses the file on a second run and reports it through status", async () => {
    const dir = freshDir();
    expect((await runCli(["demo", "--emails", "10"], { cwd: dir })).code).toBe(0);
    const demo = await runCli(["demo", "--emails", "10"], { cwd: dir });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/Schema: up to date .*reusing the existing file/);
    expect(demo.stdout).toMatch(/│ emailOutbox +│ 1 +│ sent 10/);

    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { lanes: { lane: string; health: string }[] };
    expect(report.lanes.every((lane) => lane.health === "ok")).toBe(true);
  });
});
