import { createInterface } from "node:readline";
import { createMikaEmailOutboxRunner, type MikaOutgoingEmail } from "@mika-maintenance/core";
import { openCountingAdapter } from "./adapters/counting-adapter.ts";
import type { StoreTarget } from "./adapters/store.ts";

/** What the parent passes to one outbox runner process. */
export interface OutboxChildInput {
  target: StoreTarget;
  now: string;
  concurrency: number;
  maxPerSecond?: number;
  sendMs: number;
}

/** What the child prints as its last stdout line. */
export interface OutboxChildOutput {
  /** Epoch ms (sub-ms precision) when the drain started and ended. */
  startedAt: number;
  finishedAt: number;
  /** Email ids the simulated provider accepted, once per send. */
  sent: string[];
  /** Epoch ms of each accepted send. */
  acceptedAt: number[];
  leaseMissed: number;
  leaseLost: number;
  /** Driver calls during the drain. */
  roundTrips: number;
  runs: number;
}

const epochNow = () => performance.timeOrigin + performance.now();
const input = JSON.parse(process.argv[2] ?? "{}") as OutboxChildInput;
const counting = await openCountingAdapter(input.target);
// Opens the connection before the clock starts.
await counting.adapter.ops.describeEmailBacklog({ now: input.now });
const sent: string[] = [];
const acceptedAt: number[] = [];
const sender = async (message: MikaOutgoingEmail) => {
  await new Promise((resolve) => setTimeout(resolve, input.sendMs));
  sent.push(message.idempotencyKey);
  acceptedAt.push(epochNow());
  return { providerMessageId: `pm-${message.emailId}` };
};
const runner = createMikaEmailOutboxRunner({
  repositories: { ops: counting.adapter.ops },
  sender,
  concurrency: input.concurrency,
  ...(input.maxPerSecond === undefined ? {} : { maxPerSecond: input.maxPerSecond }),
});

console.log("ready");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === "go") break;

const before = counting.roundTrips();
const startedAt = epochNow();
let leaseMissed = 0;
let leaseLost = 0;
let runs = 0;
for (;;) {
  const result = await runner.runOnce({ now: input.now, limit: 100_000 });
  runs += 1;
  leaseMissed += result.leaseMissed;
  leaseLost += result.leaseLost;
  if (result.scanned === 0) break;
}
const finishedAt = epochNow();
const roundTrips = counting.roundTrips() - before;
await counting.close();
const output: OutboxChildOutput = {
  startedAt,
  finishedAt,
  sent,
  acceptedAt,
  leaseMissed,
  leaseLost,
  roundTrips,
  runs,
};
console.log(JSON.stringify(output));
lines.close();
process.exit(0);
