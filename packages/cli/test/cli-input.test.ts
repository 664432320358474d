import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, libsqlBackend } from "./support/backends.ts";
import { runCli } from "./support/cli-process.ts";

let backend: CliBackend;

/** Config modules each wrong in its own way, by file name. */
const BAD_CONFIG_MODULES: Record<string, string> = {
  "wrong-type.mjs": 'export default { sender: "smtp://mail" };\n',
  "no-default.mjs": "export const sender = async () => {};\n",
  "unknown-key.mjs": "export default { sendr: async () => {} };\n",
  "throws.mjs": 'throw new Error("missing SMTP_PASSWORD");\n',
  "bad-lanes.mjs": "export default { lanes: { stockReservations: { intervalMs: -5 } } };\n",
  "bad-factory.mjs": "export default async () => ({ acpSessionStore: {} });\n",
};

beforeAll(async () => {
  backend = libsqlBackend();
  const migrated = await runCli(["migrate", ...backend.flags], { cwd: backend.dir });
  expect(migrated.code).toBe(0);
  for (const [file, source] of Object.entries(BAD_CONFIG_MODULES)) {
    writeFileSync(path.join(backend.dir, file), source);
  }
});

afterAll(async () => {
  await backend.dispose();
});

/** Every bad input: exit 2, exactly one line on stderr naming the problem, nothing on stdout. */
const cases: [string, () => string[], RegExp][] = [
  [
    "an unknown scheme",
    () => ["once", "--database-url", "mysql://db/shop"],
    /unsupported scheme "mysql:"; use postgres:\/\//,
  ],
  ["a URL without scheme", () => ["status", "--database-url", "shop.db"], /has no scheme/],
  [
    "an unreachable database",
    () => ["once", "--database-url", "postgres://postgres@127.0.0.1:1/test"],
    /cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
  ],
  [
    "a missing config module",
    () => ["once", ...backend.flags, "--config", "./nope.mjs"],
    /--config \.\/nope\.mjs: no such file/,
  ],
  [
    "a config export of the wrong type",
    () => ["once", ...backend.flags, "--config", "./wrong-type.mjs"],
    /--config \.\/wrong-type\.mjs: sender must be a function, got a string\./,
  ],
  [
    "a config module without a default export",
    () => ["once", ...backend.flags, "--config", "./no-default.mjs"],
    /must export default .*it exports sender/,
  ],
  [
    "a config export with an unknown key",
    () => ["once", ...backend.flags, "--config", "./unknown-key.mjs"],
    /unknown key "sendr"; allowed: sender,/,
  ],
  [
    "a config module that throws",
    () => ["once", ...backend.flags, "--config", "./throws.mjs"],
    /could not be loaded: missing SMTP_PASSWORD/,
  ],
  [
    "a config factory returning the wrong shape",
    () => ["once", ...backend.flags, "--config", "./bad-factory.mjs"],
    /acpSessionStore\.cleanupExpired must be a function, got nothing/,
  ],
  [
    "an invalid interval in the config",
    () => ["run", ...backend.flags, "--config", "./bad-lanes.mjs"],
    /lanes\.stockReservations\.intervalMs must be at least 100 ms/,
  ],
  [
    "a negative interval flag",
    () => ["run", ...backend.flags, "--interval", "stockReservations=-5"],
    /--interval stockReservations must be a whole number of milliseconds from 100 to 86400000, got "-5"/,
  ],
  [
    "an interval for an unknown lane",
    () => ["tick", ...backend.flags, "--interval", "reservations=5000"],
    /--interval names an unknown lane "reservations"; lanes are emailOutbox,/,
  ],
  [
    "a malformed interval flag",
    () => ["run", ...backend.flags, "--interval", "stockReservations"],
    /--interval takes <lane>=<milliseconds>/,
  ],
  [
    "a zero tick budget",
    () => ["tick", ...backend.flags, "--budget", "0"],
    /--budget must be a whole number of milliseconds from 1 to 3600000, got "0"/,
  ],
  [
    "a lease TTL too short",
    () => ["run", ...backend.flags, "--lease-ttl", "10"],
    /--lease-ttl must be a whole number of milliseconds from 1000/,
  ],
  [
    "an unknown option",
    () => ["once", ...backend.flags, "--dry-run"],
    /unknown option '--dry-run'/,
  ],
  ["an unknown command", () => ["sweep"], /unknown command 'sweep'/],
  [
    "a schema for libSQL",
    () => ["status", ...backend.flags, "--schema", "shop"],
    /--schema applies to Postgres only/,
  ],
  [
    "an invalid Postgres schema",
    () => [
      "status",
      "--database-url",
      "postgres://postgres@127.0.0.1:1/test",
      "--schema",
      "Shop-Data",
    ],
    /--schema: .*schema must be a lowercase Postgres identifier/,
  ],
  [
    "a malformed %-escape in a file URL",
    () => ["status", "--database-url", "file:%zz"],
    /--database-url "file:%zz" has a malformed %-escape in its path/,
  ],
  [
    "an invalid libSQL table prefix, with its whole reason",
    () => ["status", ...backend.flags, "--table-prefix", "9-x"],
    /^mika-maintenance: --table-prefix: must be letters, digits and underscores, not starting with a digit \(e\.g\. "mika_" or "shop_mika_"\), got "9-x"$/,
  ],
  [
    "an unreachable https:// libSQL server, its token masked",
    () => ["status", "--database-url", "https://127.0.0.1:1/?authToken=s3cret-token"],
    /cannot reach the database at https:\/\/127\.0\.0\.1:1\/\?authToken=\*\*\*: fetch failed/,
  ],
  [
    "an auth token for Postgres",
    () => ["status", "--database-url", "postgres://postgres@127.0.0.1:1/test", "--auth-token", "t"],
    /--auth-token \(MIKA_AUTH_TOKEN\) applies to remote libSQL databases only/,
  ],
  [
    "a count that is not a number",
    () => ["demo", "--emails", "abc"],
    /--emails must be a whole number of emails from 0 to 100000, got "abc"/,
  ],
  [
    "a demo on Postgres",
    () => ["demo", "--database-url", "postgres://postgres@127.0.0.1:5432/test"],
    /demo seeds an embedded libSQL file/,
  ],
];

describe("bad input", () => {
  it.each(cases)(
    "exits 2 with one clear line for %s, writing nothing",
    async (_label, args, message) => {
      const result = await runCli(args(), { cwd: backend.dir });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(result.stderr).not.toMatch(/s3cret|hunter2/);
      expect(lines[0]).toMatch(/^mika-maintenance: /);
      expect(lines[0]).toMatch(message);

      const store = backend.open();
      try {
        expect(await store.runtimeState.listLaneRuns({ perLane: 10 })).toEqual([]);
        expect(await store.runtimeState.listHeartbeats({ limit: 10 })).toEqual([]);
        expect(await store.runtimeState.listLaneStates()).toEqual([]);
      } finally {
        await store.close();
      }
    },
  );

  it("never creates a missing database file outside migrate and demo", async () => {
    const file = path.join(backend.dir, "absent.db");
    for (const command of [["once"], ["status"], ["tick"], ["run"], ["migrate", "--status"]]) {
      const result = await runCli([...command, "--database-url", `file:${file}`], {
        cwd: backend.dir,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/does not exist; run `mika-maintenance migrate/);
      expect(existsSync(file)).toBe(false);
    }
  });

  it("refuses an unmigrated database with a pointer to migrate", async () => {
    const file = path.join(backend.dir, "empty.db");
    writeFileSync(file, "");
    const result = await runCli(["once", "--database-url", `file:${file}`], { cwd: backend.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /has no mika-maintenance schema yet; run `mika-maintenance migrate/,
    );
  });

  it("masks passwords and tokens in every command's error", async () => {
    const urls = [
      "postgres://u@127.0.0.1:1/db?password=hunter2",
      "libsql://127.0.0.1:1?authToken=s3cret-token",
      "postgres://u:hunter2@127.0.0.1:1/db",
    ];
    // Every command, each URL form on two of them: one process per command.
    const commands = ["run", "once", "tick", "migrate", "status", "dashboard", "demo"];
    const results = await Promise.all(
      commands.map(async (command, index) => {
        const url = urls[index % urls.length]!;
        return {
          label: `${command} ${url}`,
          result: await runCli([command, "--database-url", url], { cwd: backend.dir }),
        };
      }),
    );
    for (const { label, result } of results) {
      expect(result.code, label).toBe(2);
      expect(result.stderr, label).toMatch(/^mika-maintenance: /);
      expect(result.stderr + result.stdout, label).not.toMatch(/hunter2|s3cret/);
    }
  });

  it("migrates a table prefix in capitals and finds the schema again", async () => {
    const file = path.join(backend.dir, "capitals.db");
    const flags = ["--database-url", `file:${file}`, "--table-prefix", "MIKA_"];
    const migrated = await runCli(["migrate", ...flags], { cwd: backend.dir });
    expect(migrated.code, migrated.stderr).toBe(0);
    const once = await runCli(["once", ...flags], { cwd: backend.dir });
    expect(once.code, once.stderr).toBe(0);
    // SQLite resolves `mika_…` to the `MIKA_…` tables; the schema lookup must agree.
    const lower = await runCli(
      ["status", "--database-url", `file:${file}`, "--table-prefix", "mika_"],
      { cwd: backend.dir },
    );
    expect(lower.code, lower.stderr).toBe(0);
  });

  it("never creates the default file unless a URL names it or --create is given", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mika-cli-default-"));
    try {
      const refused = await runCli(["migrate"], {
        cwd: dir,
        env: { DATABASE_URL: "", MIKA_DATABASE_URL: "" },
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/no database URL was given .* or pass --create/);
      expect(existsSync(path.join(dir, "mika-maintenance.db"))).toBe(false);
      const created = await runCli(["migrate", "--create", "--json"], {
        cwd: dir,
        env: { DATABASE_URL: "", MIKA_DATABASE_URL: "" },
      });
      expect(created.code, created.stderr).toBe(0);
      expect(existsSync(path.join(dir, "mika-maintenance.db"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows the global options and the lane names in a subcommand's help", async () => {
    const help = await runCli(["tick", "--help"], { cwd: backend.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Global Options:[\s\S]*--database-url <url>[\s\S]*\(env: MIKA_DATABASE_URL\)/,
    );
    expect(help.stdout).toMatch(/--budget <ms>[\s\S]*env: MIKA_TICK_BUDGET_MS\)/);
    expect(help.stdout).toMatch(/Lanes \(task keys, in run order\):\s+emailOutbox, stuckEmails,/);
  });

  it("prints help and the version with exit 0", async () => {
    const help = await runCli(["--help"], { cwd: backend.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Commands:[\s\S]*run[\s\S]*once[\s\S]*tick[\s\S]*migrate[\s\S]*status[\s\S]*demo/,
    );
    const version = await runCli(["--version"], { cwd: backend.dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
