/** Where the CLI reads and writes; `bin.ts` wires it to the process. */
export interface MikaCliIo {
  /** Writes one block of output (a newline is added); dropped once stdout has closed. */
  out(text: string): void;
  /** Writes one diagnostic line (a newline is added). */
  err(text: string): void;
  /** Writes progress without a newline (a terminal redraws it). */
  progress(text: string): void;
  /** Is stdout a terminal? Decides table vs JSON, and readable vs JSON log lines. */
  isTTY: boolean;
  /** Is stderr a terminal? Decides redrawn progress vs plain lines. */
  errIsTTY: boolean;
  /** The terminal's width when stdout is one; tables fit it. */
  columns: number | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  onShutdownSignal(handler: (signal: string) => void): () => void;
  /**
   * Calls `handler` once when stdout's reader goes away (`run | head -2`: EPIPE), so a
   * long-running command shuts down cleanly instead of crashing on an unhandled error.
   */
  onStdoutClosed(handler: () => void): () => void;
}

const CLOSED_CODES = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

/** The real process's stdio, cwd, environment and signals. */
export function processIo(): MikaCliIo {
  let stdoutClosed = false;
  const closedHandlers = new Set<() => void>();
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (!CLOSED_CODES.has(error.code ?? "")) throw error;
    if (stdoutClosed) return;
    stdoutClosed = true;
    for (const handler of [...closedHandlers]) handler();
  });
  process.stderr.on("error", () => {
    // Nowhere left to report to; the exit code still tells.
  });
  return {
    out: (text) => {
      if (!stdoutClosed) process.stdout.write(`${text}\n`);
    },
    err: (text) => process.stderr.write(`${text}\n`),
    progress: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    errIsTTY: process.stderr.isTTY === true,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    cwd: process.cwd(),
    env: process.env,
    onShutdownSignal(handler) {
      const onSigint = () => handler("SIGINT");
      const onSigterm = () => handler("SIGTERM");
      process.on("SIGINT", onSigint);
      process.on("SIGTERM", onSigterm);
      return () => {
        process.off("SIGINT", onSigint);
        process.off("SIGTERM", onSigterm);
      };
    },
    onStdoutClosed(handler) {
      if (stdoutClosed) handler();
      else closedHandlers.add(handler);
      return () => closedHandlers.delete(handler);
    },
  };
}
