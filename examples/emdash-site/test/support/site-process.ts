import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The example site's folder. */
export const SITE_DIR = fileURLToPath(new URL("../..", import.meta.url));

const require = createRequire(join(SITE_DIR, "package.json"));
const ASTRO_BIN = join(dirname(require.resolve("astro/package.json")), "bin", "astro.mjs");

/** Runs `astro build` the way the site's `build` script does; resolves with the build's output. */
export function buildSite(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ASTRO_BIN, "build"], {
      cwd: SITE_DIR,
      env: {
        ...process.env,
        NODE_OPTIONS: "--conditions=dev-source",
        ASTRO_TELEMETRY_DISABLED: "1",
      },
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
      else reject(new Error(`astro build exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** A running production server (`node dist/server/entry.mjs`) and what it printed. */
export interface RunningSite {
  url: string;
  /** `performance.now()` when the process was spawned. */
  startedAt: number;
  output(): string;
  /** Resolves with `performance.now()` when a line matching `pattern` is printed. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the built server with `cwd` as its working directory (where `./data` goes). */
export function startSite(input: {
  cwd: string;
  port: number;
  env?: NodeJS.ProcessEnv;
}): RunningSite {
  const startedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(SITE_DIR, "dist/server/entry.mjs")], {
    cwd: input.cwd,
    env: { ...process.env, ...input.env, HOST: "127.0.0.1", PORT: String(input.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters: Array<{ pattern: RegExp; resolve: (at: number) => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const now = performance.now();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(now);
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));

  return {
    url: `http://127.0.0.1:${input.port}`,
    startedAt,
    output: () => output,
    waitForLine(pattern, timeoutMs) {
      if (pattern.test(output)) return Promise.resolve(performance.now());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output}`),
          );
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
