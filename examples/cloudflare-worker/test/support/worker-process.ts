import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The example's folder: where `astro build` and `wrangler` run, as in its README. */
export const SITE_DIR = fileURLToPath(new URL("../..", import.meta.url));

const require = createRequire(join(SITE_DIR, "package.json"));
const ASTRO_BIN = join(dirname(require.resolve("astro/package.json")), "bin", "astro.mjs");
const WRANGLER_BIN = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

/** Nothing leaves the machine: no `Request.cf` download, no telemetry. */
const OFFLINE_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  ASTRO_TELEMETRY_DISABLED: "1",
  NO_COLOR: "1",
  // The workspace packages resolve to their TypeScript sources (no build of them first).
  NODE_OPTIONS: "--conditions=dev-source",
};

/** Runs a Node CLI in the example's folder; resolves with its output, rejects on a non-zero exit. */
function runNode(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: SITE_DIR,
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** `astro build`: the Worker (src/worker.ts with Astro's server) into dist/. */
export function buildWorker(): Promise<string> {
  return runNode(ASTRO_BIN, ["build"]);
}

/** What `wrangler d1 execute` runs: one `--command`, or the statements of a `--file`. */
export type D1Statements = { command: string } | { file: string };

/**
 * `wrangler d1 execute <database> --local --persist-to <dir> --json` with `--command <sql>` or
 * `--file <path>` (relative to the example's folder), against the state of a running
 * `wrangler dev` (same `--persist-to`); resolves with the rows of each statement.
 */
export async function d1ExecuteEach(
  database: string,
  statements: D1Statements,
  persistTo: string,
): Promise<Record<string, unknown>[][]> {
  const source =
    "command" in statements ? ["--command", statements.command] : ["--file", statements.file];
  const output = await runNode(WRANGLER_BIN, [
    "d1",
    "execute",
    database,
    "--local",
    "--persist-to",
    persistTo,
    "--json",
    ...source,
  ]);
  const results = JSON.parse(output.slice(output.indexOf("["))) as { results?: unknown[] }[];
  return results.map((result) => (result.results ?? []) as Record<string, unknown>[]);
}

/** Like `d1ExecuteEach` with one `--command`; resolves with the rows of its last statement. */
export async function d1Execute(
  database: string,
  sql: string,
  persistTo: string,
): Promise<Record<string, unknown>[]> {
  return (await d1ExecuteEach(database, { command: sql }, persistTo)).at(-1) ?? [];
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running `wrangler dev` and what it printed. */
export interface RunningWorker {
  url: string;
  output(): string;
  /** Resolves when a line matching `pattern` has been printed. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `wrangler dev --local`: the built Worker in workerd, its D1 databases local SQLite files
 * under `persistTo`, on 127.0.0.1 only.
 */
export async function startWorker(input: { persistTo: string }): Promise<RunningWorker> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      WRANGLER_BIN,
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      input.persistTo,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: SITE_DIR,
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));

  const worker: RunningWorker = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    waitForLine(pattern, timeoutMs) {
      if (pattern.test(output)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async stop() {
      // wrangler starts workerd as its child; the group goes down together.
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
  await worker.waitForLine(/Ready on http/, 120_000);
  return worker;
}

/**
 * Fires the Worker's Cron Trigger as workerd does locally: `/cdn-cgi/handler/scheduled` with
 * the cron expression and the trigger's scheduled time. Resolves with the handler's outcome.
 */
export async function fireCronTrigger(
  worker: RunningWorker,
  trigger: { cron: string; scheduledTime: number },
): Promise<{ outcome: string }> {
  const query = new URLSearchParams({
    cron: trigger.cron,
    time: String(trigger.scheduledTime),
    format: "json",
  });
  const response = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?${query}`);
  return (await response.json()) as { outcome: string };
}
