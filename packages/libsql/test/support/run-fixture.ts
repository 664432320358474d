import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What a fixture process printed and how it ended. */
export interface FixtureResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of a fixture run. */
export interface FixtureOptions {
  /** Runs the process as this user (and group); only root may ask. */
  uid?: number;
  cwd?: string;
}

/**
 * Runs `test/fixtures/<name>.ts` in its own Node process (type stripping, `dev-source`
 * resolution), as a second process on the same database would be.
 */
export function runFixture(
  name: string,
  args: readonly string[],
  options: FixtureOptions = {},
): Promise<FixtureResult> {
  const script = fileURLToPath(new URL(`../fixtures/${name}.ts`, import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--conditions=dev-source", "--no-warnings", script, ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Parses the last line of a fixture's stdout as JSON, failing loudly with its stderr. */
export function fixtureOutput<T>(result: FixtureResult): T {
  const line = result.stdout.trim().split("\n").at(-1);
  if (result.code !== 0 || !line) {
    throw new Error(`Fixture failed (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  }
  return JSON.parse(line) as T;
}
