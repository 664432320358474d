import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { PeerChildInput, PeerChildOutput } from "./peer-child.ts";

const CHILD = fileURLToPath(new URL("./peer-child.ts", import.meta.url));

/** One handler start or end, as a worker process reported it. */
export interface HandlerEvent {
  kind: "start" | "done";
  key: string;
  at: number;
  worker: number;
}

/** A running worker process of one system. */
export interface PeerWorker {
  index: number;
  applicationName: string;
  ready: Promise<void>;
  send(command: "go" | "mark" | "stop"): void;
  /** Resolves after a `mark` is acknowledged. */
  marked(): Promise<void>;
  /** The child's figures; resolves after `stop`. */
  output: Promise<PeerChildOutput>;
  exited: Promise<void>;
  kill(): void;
  process: ChildProcess;
}

/** Every handler event of the workers started through this log, in arrival order. */
export class HandlerLog {
  readonly events: HandlerEvent[] = [];
  private readonly doneKeys = new Set<string>();
  private waiters: Array<() => void> = [];

  add(event: HandlerEvent): void {
    this.events.push(event);
    if (event.kind === "done") this.doneKeys.add(event.key);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Distinct keys whose handler finished at least once. */
  get done(): number {
    return this.doneKeys.size;
  }

  /** Resolves when `predicate` holds, or with `false` after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }
}

let started = 0;

/** Starts one worker process of `input.target.system`, reporting its handlers into `log`. */
export function startPeerWorker(
  input: Omit<PeerChildInput, "applicationName">,
  log: HandlerLog,
): PeerWorker {
  started += 1;
  const index = started;
  const applicationName = `peers-bench-${process.pid}-${input.target.system}-${index}`;
  const payload: PeerChildInput = { ...input, applicationName };
  const child = spawn(process.execPath, [...process.execArgv, CHILD, JSON.stringify(payload)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let markWaiter: (() => void) | undefined;
  let resolveOutput: (output: PeerChildOutput) => void = () => undefined;
  let rejectOutput: (error: Error) => void = () => undefined;
  const output = new Promise<PeerChildOutput>((resolve, reject) => {
    resolveOutput = resolve;
    rejectOutput = reject;
  });
  output.catch(() => undefined);
  lines.on("line", (line) => {
    if (line === "ready") markReady();
    else if (line === "marked") markWaiter?.();
    else if (line.startsWith("S ") || line.startsWith("D ")) {
      const [kind, key, at] = line.split(" ");
      log.add({ kind: kind === "S" ? "start" : "done", key: key!, at: Number(at), worker: index });
    } else if (line.startsWith("R ")) resolveOutput(JSON.parse(line.slice(2)) as PeerChildOutput);
  });
  const exited = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      rejectOutput(new Error(`peer worker ${applicationName} exited (${signal ?? code})`));
      resolve();
    });
  });
  return {
    index,
    applicationName,
    ready,
    send: (command) => child.stdin!.write(`${command}\n`),
    marked: () =>
      new Promise<void>((resolve) => {
        markWaiter = resolve;
      }),
    output,
    exited,
    kill: () => child.kill("SIGKILL"),
    process: child,
  };
}

/**
 * CPU milliseconds the database server spent in the backends of these workers, read from
 * `/proc/<pid>/stat` of each backend (the server runs on this machine). Keyed by backend pid so
 * a later reading can be subtracted from an earlier one.
 */
export async function backendCpu(
  monitor: pg.Client,
  workers: readonly PeerWorker[],
): Promise<Map<number, number>> {
  const names = workers.map((worker) => worker.applicationName);
  const { rows } = await monitor.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1)",
    [names],
  );
  const readings = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
      const ticks = Number(fields[11]) + Number(fields[12]);
      readings.set(pid, (ticks * 1000) / CLOCK_TICKS);
    } catch {
      // The backend ended between the two reads.
    }
  }
  return readings;
}

const CLOCK_TICKS = 100;

/** Database CPU ms between two `backendCpu` readings (a backend new in `after` counts whole). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
