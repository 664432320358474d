import { createInterface } from "node:readline";
import pg from "pg";
import { delay } from "../harness.ts";
import {
  epochNow,
  HANDLER_MS,
  MIKA_LANE_INTERVAL_MS,
  type PeerSettings,
  type PeerTarget,
  withApplicationName,
} from "./systems.ts";

/** What the parent passes to one worker process. */
export interface PeerChildInput {
  target: PeerTarget;
  settings: PeerSettings;
  /** The `application_name` of every connection this process opens. */
  applicationName: string;
}

/** The last line a worker prints after `stop`: what it cost between `go` and `stop`. */
export interface PeerChildOutput {
  roundTrips: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

// Counts every statement this process sends, whichever library sends it: the three systems
// all use this one `pg` (the lockfile resolves them to the same copy).
let roundTrips = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as { query: unknown }).query = function counted(
  this: pg.Client,
  ...args: unknown[]
) {
  roundTrips += 1;
  return query.apply(this, args);
};

const input = JSON.parse(process.argv[2] ?? "{}") as PeerChildInput;
const { target, settings } = input;
const connectionString = withApplicationName(target.connectionString, input.applicationName);
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The handler every system runs: note the start, wait like a provider call, note the end. */
async function handle(key: string): Promise<void> {
  say(`S ${key} ${epochNow()}`);
  await delay(HANDLER_MS);
  say(`D ${key} ${epochNow()}`);
}

const lines = createInterface({ input: process.stdin });
const commands = lines[Symbol.asyncIterator]();
async function waitFor(command: string): Promise<void> {
  for (;;) {
    const next = await commands.next();
    if (next.done) process.exit(0);
    if (next.value.trim() === command) return;
  }
}

say("ready");
await waitFor("go");
let cpuBefore = process.cpuUsage();
let tripsBefore = roundTrips;
const stop = await start();
// `mark` restarts the count (after start-up, for the idle window); `stop` ends it.
for (;;) {
  const next = await commands.next();
  if (next.done) process.exit(0);
  const command = next.value.trim();
  if (command === "stop") break;
  if (command === "mark") {
    cpuBefore = process.cpuUsage();
    tripsBefore = roundTrips;
    say("marked");
  }
}
const cpu = process.cpuUsage(cpuBefore);
const output: PeerChildOutput = {
  roundTrips: roundTrips - tripsBefore,
  cpuUserMs: cpu.user / 1000,
  cpuSystemMs: cpu.system / 1000,
};
say(`R ${JSON.stringify(output)}`);
await stop().catch(() => undefined);
process.exit(0);

async function start(): Promise<() => Promise<void>> {
  if (target.system === "mika") return startMika();
  if (target.system === "graphile-worker") return startGraphileWorker();
  return startPgBoss();
}

/**
 * mika's email lane as `run()` drives it (`runWorkLaneLoop`): a pass, again at once while it
 * found work, else after the lane interval.
 */
async function startMika(): Promise<() => Promise<void>> {
  const { createMikaEmailOutboxRunner } = await import("@mika-maintenance/core");
  const { createPostgresRepositories } = await import("@mika-maintenance/postgres");
  const pool = new pg.Pool({ connectionString, max: 10 });
  const adapter = createPostgresRepositories({
    pool,
    schema: target.schema,
    tablePrefix: target.tablePrefix ?? "mika_",
  });
  const runner = createMikaEmailOutboxRunner({
    repositories: { ops: adapter.ops },
    concurrency: settings.concurrency,
    ...(settings.leaseSeconds === undefined ? {} : { leaseMs: settings.leaseSeconds * 1000 }),
    sender: async (message) => {
      await handle(message.idempotencyKey);
      return { providerMessageId: `pm-${message.emailId}` };
    },
  });
  const interval = MIKA_LANE_INTERVAL_MS[settings.tuning];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const result = await runner.runOnce({ limit: 100_000 });
      if (result.scanned === 0 && !result.hasMore) await delay(interval);
    }
  })();
  return async () => {
    stopped = true;
    await Promise.race([loop, delay(2_000)]);
    await adapter.close();
    await pool.end();
  };
}

/**
 * graphile-worker as its performance guide advises for throughput: a local queue of
 * `concurrency + 1` jobs fetched at once, completions batched. It listens for new-job
 * notifications by default, so latency tuning changes nothing.
 */
async function startGraphileWorker(): Promise<() => Promise<void>> {
  const { run, Logger } = await import("graphile-worker");
  const pgPool = new pg.Pool({ connectionString, max: settings.concurrency + 2 });
  pgPool.on("error", (error) => console.error(`graphile-worker pool: ${error.message}`));
  const runner = await run({
    pgPool,
    schema: target.schema,
    concurrency: settings.concurrency,
    noHandleSignals: true,
    logger: new Logger(() => () => undefined),
    preset: {
      worker: {
        localQueue: { size: settings.concurrency + 1 },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
    taskList: {
      [target.queue]: async (payload) => handle((payload as { key: string }).key),
    },
  });
  return async () => {
    await runner.stop();
    await pgPool.end();
  };
}

/**
 * pg-boss as its worker docs advise for throughput: one worker fetching `concurrency` jobs per
 * fetch (`batchSize`) and fetching again at once while batches come back full
 * (`burstWhenBatchFull`); the batch runs with `concurrency` handlers in flight. Latency
 * tuning turns on LISTEN/NOTIFY (`useListenNotify` with a `notify: true` queue).
 */
async function startPgBoss(): Promise<() => Promise<void>> {
  const { PgBoss } = await import("pg-boss");
  const boss = new PgBoss({
    connectionString,
    schema: target.schema,
    ...(settings.tuning === "latency" ? { useListenNotify: true } : {}),
    ...(settings.leaseSeconds === undefined ? {} : { superviseIntervalSeconds: 1 }),
  });
  boss.on("error", (error) => console.error(`pg-boss: ${error.message}`));
  await boss.start();
  const batchSize = Math.max(2, settings.concurrency);
  await boss.work<{ key: string }>(
    target.queue,
    { batchSize, burstWhenBatchFull: true, localConcurrency: 1 },
    async (jobs) => {
      for (let at = 0; at < jobs.length; at += settings.concurrency) {
        await Promise.all(
          jobs.slice(at, at + settings.concurrency).map((job) => handle(job.data.key)),
        );
      }
    },
  );
  return async () => {
    await boss.stop({ graceful: false, wait: false } as never);
  };
}
