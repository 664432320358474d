import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The CLI entry, run from source through Node's type stripping, as `pnpm demo` does. */
export const BIN = fileURLToPath(new URL("../../src/bin.ts", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of one CLI process. */
export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
}

function spawnCli(args: string[], options: CliOptions): ChildProcess {
  return spawn(process.execPath, ["--conditions=dev-source", BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the CLI to completion (stdout is a pipe, so JSON is the default output). */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A JSON log line of `mika-maintenance run`. */
export type LogLine = Record<string, unknown> & { msg: string; time: string };

/** A long-running CLI process whose JSON log lines can be awaited as typed signals. */
export interface RunningCli {
  child: ChildProcess;
  lines: LogLine[];
  /** Resolves with the first line (already seen or future) that matches. */
  waitFor(match: (line: LogLine) => boolean, label: string): Promise<LogLine>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the CLI and parses every stdout line as JSON. */
export function startCli(args: string[], options: CliOptions): RunningCli {
  const child = spawnCli(args, options);
  const lines: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on("line", (raw) => {
    let line: LogLine;
    try {
      line = JSON.parse(raw) as LogLine;
    } catch {
      line = { msg: "unparsed", time: new Date().toISOString(), raw };
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => {
    child.on("close", (code, signal) => {
      for (const waiter of waiters.splice(0)) {
        waiter.resolve({ msg: "exited", time: new Date().toISOString(), code, stderr });
      }
      resolve({ code, signal, stderr });
    });
  });
  return {
    child,
    lines,
    exited,
    waitFor(match, label) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({
          match,
          resolve: (line) => {
            if (line.msg === "exited") {
              reject(new Error(`process exited before "${label}": ${String(line.stderr)}`));
            } else resolve(line);
          },
        });
      });
    },
  };
}

/** Parses a command's JSON stdout, failing with the whole output when it is not JSON. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `expected JSON, got code ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
}
