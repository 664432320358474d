import { createInterface } from "node:readline";

/** What the parent passes to a process that only sends: the machine's own ceiling. */
export interface SenderOnlyInput {
  emails: number;
  concurrency: number;
  sendMs: number;
}

/** What the child prints as its last stdout line. */
export interface SenderOnlyOutput {
  startedAt: number;
  finishedAt: number;
}

// The same simulated provider as the outbox runner's, with no database and no runner: how
// fast this machine, as loaded right now, completes `concurrency` 20 ms sends at a time.
const epochNow = () => performance.timeOrigin + performance.now();
const input = JSON.parse(process.argv[2] ?? "{}") as SenderOnlyInput;
console.log("ready");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === "go") break;
const startedAt = epochNow();
let next = 0;
await Promise.all(
  Array.from({ length: input.concurrency }, async () => {
    while (next < input.emails) {
      next += 1;
      await new Promise((resolve) => setTimeout(resolve, input.sendMs));
    }
  }),
);
const output: SenderOnlyOutput = { startedAt, finishedAt: epochNow() };
console.log(JSON.stringify(output));
lines.close();
process.exit(0);
