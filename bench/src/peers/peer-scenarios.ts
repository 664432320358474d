import os from "node:os";
import pg from "pg";
import { delay, progress } from "../harness.ts";
import {
  backendCpu,
  cpuBetween,
  HandlerLog,
  type PeerWorker,
  startPeerWorker,
} from "./peer-process.ts";
import { openPeerQueues, type PeerQueues } from "./peer-queues.ts";
import { PEER_SYSTEMS, type PeerSettings, type PeerSystem } from "./systems.ts";

/** One drain: processes × concurrency over a backlog that is due at once. */
export interface DrainFigure {
  system: PeerSystem;
  plan: string;
  items: number;
  itemsPerSecond: number;
  duplicates: number;
  roundTripsPerItem: number;
  databaseCpuMsPerItem: number;
  processCpuMsPerItem: number;
  finished: boolean;
  load: number;
}

/** One process with nothing to do, per minute. */
export interface IdleFigure {
  system: PeerSystem;
  tuning: PeerSettings["tuning"];
  statementsPerMinute: number;
  processCpuMsPerMinute: number;
  databaseCpuMsPerMinute: number;
  /** Pickup latency of items enqueued one by one into the same idle process. */
  pickupMedianMs: number;
  pickupP95Ms: number;
  pickedUp: number;
  load: number;
}

/** A worker killed mid-drain and what the survivor did about its items. */
export interface CrashFigure {
  system: PeerSystem;
  leaseSeconds: number | null;
  inFlightAtKill: number;
  /** Seconds from the kill until the survivor started the first of the killed worker's items. */
  firstResumeSeconds: number | null;
  /** Seconds from the kill until every item had run; null when the cap came first. */
  allDoneSeconds: number | null;
  notDoneAtCap: number;
  ranTwice: number;
  load: number;
}

/** Everything the peers bench measured. */
export interface PeersReport {
  versions: Record<PeerSystem, string>;
  drains: DrainFigure[];
  idle: IdleFigure[];
  crashes: CrashFigure[];
  idleWindowMs: number;
  latencyItems: number;
  crashCapMs: number;
  loadAtStart: number;
  loadAtEnd: number;
  startedAt: string;
  wallMs: number;
}

interface DrainPlan {
  key: string;
  label: string;
  processes: number;
  concurrency: number;
  items: number;
}

const CONNECTION_STRING =
  process.env.MIKA_BENCH_POSTGRES_URL ??
  process.env.MIKA_TEST_POSTGRES_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const DRAIN_TIMEOUT_MS = 300_000;
const SETTLE_MS = 3_000;
const CRASH_LEASE_SECONDS = 10;
const load = () => os.loadavg()[0] ?? 0;

/** Runs the four peer scenarios for mika, graphile-worker and pg-boss. */
export async function runPeerScenarios(options: { scale: number }): Promise<PeersReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = load();
  const scaled = (n: number) => Math.max(20, Math.round(n * options.scale));
  const plans: DrainPlan[] = [
    {
      key: "c1",
      label: "1 process, concurrency 1",
      processes: 1,
      concurrency: 1,
      items: scaled(500),
    },
    {
      key: "c8",
      label: "1 process, concurrency 8",
      processes: 1,
      concurrency: 8,
      items: scaled(5_000),
    },
    {
      key: "c32",
      label: "1 process, concurrency 32",
      processes: 1,
      concurrency: 32,
      items: scaled(5_000),
    },
    {
      key: "p4c8",
      label: "4 processes, concurrency 8",
      processes: 4,
      concurrency: 8,
      items: scaled(5_000),
    },
  ];
  const idleWindowMs = options.scale < 1 ? 3_000 : 20_000;
  const latencyItems = options.scale < 1 ? 10 : 50;
  const crashCapMs = options.scale < 1 ? 15_000 : 40_000;
  const monitor = new pg.Client({ connectionString: CONNECTION_STRING });
  await monitor.connect();
  const report: PeersReport = {
    versions: {} as Record<PeerSystem, string>,
    drains: [],
    idle: [],
    crashes: [],
    idleWindowMs,
    latencyItems,
    crashCapMs,
    loadAtStart,
    loadAtEnd: 0,
    startedAt,
    wallMs: 0,
  };
  try {
    for (const system of PEER_SYSTEMS) {
      const queues = await openPeerQueues(system);
      report.versions[system] = queues.version;
      try {
        for (const plan of plans) {
          progress(`  peers · ${system} · drain ${plan.label}: ${plan.items} items`);
          const figure = await drain(queues, monitor, plan);
          report.drains.push(figure);
          progress(
            `  peers · ${system} · ${plan.key}: ${figure.itemsPerSecond.toFixed(0)} items/s, ${figure.roundTripsPerItem.toFixed(2)} round trips/item, ${figure.duplicates} duplicates, load ${figure.load.toFixed(1)}`,
          );
        }
        for (const tuning of ["default", "latency"] as const) {
          progress(
            `  peers · ${system} · idle ${idleWindowMs / 1000} s, then ${latencyItems} pickups (${tuning})`,
          );
          const figure = await idleAndPickup(queues, monitor, tuning, idleWindowMs, latencyItems);
          report.idle.push(figure);
          progress(
            `  peers · ${system} · ${tuning}: ${figure.statementsPerMinute.toFixed(0)} statements/min idle, pickup median ${figure.pickupMedianMs.toFixed(0)} ms, p95 ${figure.pickupP95Ms.toFixed(0)} ms`,
          );
        }
        progress(`  peers · ${system} · crash recovery`);
        const crash = await crashRecovery(queues, scaled(2_000), crashCapMs);
        report.crashes.push(crash);
        progress(
          `  peers · ${system} · crash: ${crash.inFlightAtKill} in flight at kill, all done after ${crash.allDoneSeconds?.toFixed(1) ?? `> ${crashCapMs / 1000}`} s, ${crash.ranTwice} ran twice`,
        );
      } finally {
        await queues.close();
      }
    }
  } finally {
    await monitor.end();
  }
  report.loadAtEnd = load();
  report.wallMs = performance.now() - started;
  return report;
}

async function startAll(
  target: Awaited<ReturnType<PeerQueues["prepare"]>>,
  settings: PeerSettings,
  count: number,
  log: HandlerLog,
): Promise<PeerWorker[]> {
  const workers = Array.from({ length: count }, () => startPeerWorker({ target, settings }, log));
  await Promise.all(workers.map((worker) => worker.ready));
  return workers;
}

async function stopAll(workers: readonly PeerWorker[]) {
  for (const worker of workers) worker.send("stop");
  const outputs = await Promise.all(
    workers.map((worker) =>
      Promise.race([worker.output, delay(15_000).then(() => null)]).catch(() => null),
    ),
  );
  for (const worker of workers) worker.kill();
  await Promise.all(workers.map((worker) => worker.exited));
  return outputs;
}

async function drain(
  queues: PeerQueues,
  monitor: pg.Client,
  plan: DrainPlan,
): Promise<DrainFigure> {
  const run = `drain-${plan.key}-${Date.now()}`;
  const target = await queues.prepare(run);
  await queues.enqueueMany(target, plan.items);
  const log = new HandlerLog();
  const workers = await startAll(
    target,
    { concurrency: plan.concurrency, tuning: "default" },
    plan.processes,
    log,
  );
  for (const worker of workers) worker.send("go");
  const finished = await log.until(() => log.done >= plan.items, DRAIN_TIMEOUT_MS);
  // Backends are read while the workers still hold their connections.
  const cpuAfter = await backendCpu(monitor, workers);
  const outputs = await stopAll(workers);
  const starts = log.events.filter((event) => event.kind === "start").map((event) => event.at);
  const dones = log.events.filter((event) => event.kind === "done");
  const first = Math.min(...starts);
  const last = Math.max(...dones.map((event) => event.at));
  const processCpu = outputs.reduce(
    (sum, output) => sum + (output ? output.cpuUserMs + output.cpuSystemMs : 0),
    0,
  );
  return {
    system: queues.system,
    plan: plan.key,
    items: plan.items,
    itemsPerSecond: (log.done * 1000) / (last - first),
    duplicates: dones.length - log.done,
    roundTripsPerItem:
      outputs.reduce((sum, output) => sum + (output?.roundTrips ?? 0), 0) / plan.items,
    databaseCpuMsPerItem: cpuBetween(new Map(), cpuAfter) / plan.items,
    processCpuMsPerItem: processCpu / plan.items,
    finished,
    load: load(),
  };
}

async function idleAndPickup(
  queues: PeerQueues,
  monitor: pg.Client,
  tuning: PeerSettings["tuning"],
  idleWindowMs: number,
  items: number,
): Promise<IdleFigure> {
  const run = `idle-${tuning}-${Date.now()}`;
  const target = await queues.prepare(run, { notify: tuning === "latency" });
  const log = new HandlerLog();
  const [worker] = await startAll(target, { concurrency: 8, tuning }, 1, log);
  worker!.send("go");
  await delay(SETTLE_MS);
  const cpuBefore = await backendCpu(monitor, [worker!]);
  const marked = worker!.marked();
  worker!.send("mark");
  await marked;
  await delay(idleWindowMs);
  const cpuAfter = await backendCpu(monitor, [worker!]);
  const idleOutput = worker!.output;
  worker!.send("stop");
  const idle = await idleOutput;
  // A second worker of the same settings for the pickups, so the idle one's figures are final.
  const pickupLog = new HandlerLog();
  const [picker] = await startAll(target, { concurrency: 8, tuning }, 1, pickupLog);
  picker!.send("go");
  await delay(SETTLE_MS);
  const sentAt = new Map<string, number>();
  // Spread arrivals at random over the poll cycle: 100–400 ms apart (a fixed sequence).
  let seed = 20;
  for (let i = 0; i < items; i++) {
    const key = `${run}-pickup-${i}`;
    sentAt.set(key, await queues.enqueueOne(target, key));
    seed = (seed * 48_271) % 2_147_483_647;
    await delay(100 + (seed % 300));
  }
  await pickupLog.until(() => pickupLog.done >= items, 15_000);
  await stopAll([picker!]);
  await worker!.exited;
  const waits: number[] = [];
  for (const event of pickupLog.events) {
    if (event.kind !== "start") continue;
    const sent = sentAt.get(event.key);
    if (sent !== undefined) waits.push(event.at - sent);
  }
  waits.sort((a, b) => a - b);
  const perMinute = 60_000 / idleWindowMs;
  return {
    system: queues.system,
    tuning,
    statementsPerMinute: idle.roundTrips * perMinute,
    processCpuMsPerMinute: (idle.cpuUserMs + idle.cpuSystemMs) * perMinute,
    databaseCpuMsPerMinute: cpuBetween(cpuBefore, cpuAfter) * perMinute,
    pickupMedianMs: percentile(waits, 0.5),
    pickupP95Ms: percentile(waits, 0.95),
    pickedUp: waits.length,
    load: load(),
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * fraction) - 1)]!;
}

async function crashRecovery(
  queues: PeerQueues,
  items: number,
  capMs: number,
): Promise<CrashFigure> {
  const run = `crash-${Date.now()}`;
  const leaseSeconds = queues.system === "graphile-worker" ? null : CRASH_LEASE_SECONDS;
  const target = await queues.prepare(run, { leaseSeconds: CRASH_LEASE_SECONDS });
  await queues.enqueueMany(target, items);
  const log = new HandlerLog();
  const settings: PeerSettings = {
    concurrency: 8,
    tuning: "latency",
    leaseSeconds: CRASH_LEASE_SECONDS,
  };
  const [victim, survivor] = await startAll(target, settings, 2, log);
  victim!.send("go");
  survivor!.send("go");
  // Kill once the victim has done its share; if the survivor outruns it (one claim window can
  // hold a small backlog), kill at half the backlog all the same, never after the drain.
  const victimDoneCount = () =>
    log.events.filter((event) => event.kind === "done" && event.worker === victim!.index).length;
  await log.until(
    () => victimDoneCount() >= Math.floor(items / 8) || log.done >= Math.floor(items / 2),
    120_000,
  );
  victim!.kill();
  const killedAt = performance.timeOrigin + performance.now();
  await victim!.exited;
  const victimStarted = new Set<string>();
  const victimDone = new Set<string>();
  for (const event of log.events) {
    if (event.worker !== victim!.index) continue;
    (event.kind === "start" ? victimStarted : victimDone).add(event.key);
  }
  const inFlight = [...victimStarted].filter((key) => !victimDone.has(key));
  const allDone = await log.until(() => log.done >= items, capMs);
  await stopAll([survivor!]);
  const resumed = log.events.filter(
    (event) =>
      event.kind === "start" && event.worker === survivor!.index && inFlight.includes(event.key),
  );
  const starts = new Map<string, number>();
  for (const event of log.events) {
    if (event.kind === "start") starts.set(event.key, (starts.get(event.key) ?? 0) + 1);
  }
  const lastDone = Math.max(
    ...log.events.filter((event) => event.kind === "done").map((event) => event.at),
  );
  return {
    system: queues.system,
    leaseSeconds,
    inFlightAtKill: inFlight.length,
    firstResumeSeconds:
      resumed.length > 0 ? (Math.min(...resumed.map((event) => event.at)) - killedAt) / 1000 : null,
    allDoneSeconds: allDone ? Math.max(0, lastDone - killedAt) / 1000 : null,
    notDoneAtCap: items - log.done,
    ranTwice: [...starts.values()].filter((n) => n > 1).length,
    load: load(),
  };
}
