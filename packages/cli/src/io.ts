/** Where the CLI reads and writes; `bin.ts` wires it to the process. */
export interface MikaCliIo {
  /** Writes one block of output (a newline is added). */
  out(text: string): void;
  /** Writes one diagnostic line (a newline is added). */
  err(text: string): void;
  /** Writes progress without a newline (a terminal redraws it). */
  progress(text: string): void;
  /** Is stdout a terminal? Decides table vs JSON. */
  isTTY: boolean;
  /** Is stderr a terminal? Decides redrawn progress vs plain lines. */
  errIsTTY: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  onShutdownSignal(handler: (signal: string) => void): () => void;
}

/** The real process's stdio, cwd, environment and signals. */
export function processIo(): MikaCliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    progress: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    errIsTTY: process.stderr.isTTY === true,
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
  };
}
