import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A fixture process left running; `exited` settles with its exit code and stderr. */
export interface RunningFixture {
  child: ChildProcess;
  exited: Promise<{ code: number | null; stderr: string }>;
  /** Settles once the process printed a line `ready` (its imports are loaded). */
  ready: Promise<void>;
}

/** Starts `test/fixtures/<name>.ts` in its own Node process and returns without waiting. */
export function spawnFixture(name: string, args: readonly string[]): RunningFixture {
  const script = fileURLToPath(new URL(`../fixtures/${name}.ts`, import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions=dev-source", "--no-warnings", script, ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  let stdout = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += String(chunk);
      if (/^ready$/m.test(stdout)) resolve();
    });
    child.on("exit", (code) =>
      reject(new Error(`${name} exited (${code}) before ready:\n${stderr}`)),
    );
  });
  ready.catch(() => undefined);
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on("exit", (code) => resolve({ code, stderr }));
  });
  return { child, exited, ready };
}
