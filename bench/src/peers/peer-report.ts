import { formatNumber } from "../harness.ts";
import type { CrashFigure, DrainFigure, IdleFigure, PeersReport } from "./peer-scenarios.ts";
import { HANDLER_MS, MIKA_LANE_INTERVAL_MS, PEER_SYSTEMS, type PeerSystem } from "./systems.ts";

const START = "<!-- peers section: written by pnpm bench -- --only peers -->";
const END = "<!-- end of peers section -->";
const PEERS = PEER_SYSTEMS.filter((system) => system !== "mika");

const PLAN_LABELS: Record<string, string> = {
  c1: "1 process, concurrency 1",
  c8: "1 process, concurrency 8",
  c32: "1 process, concurrency 32",
  p4c8: "4 processes, concurrency 8",
};

/** `mika / best peer`, where the best peer is the highest (or lowest) value. */
function ratio(values: Partial<Record<PeerSystem, number>>, higherIsBetter: boolean): string {
  const ours = values.mika;
  const theirs = PEERS.map((system) => values[system]).filter(
    (value): value is number => value !== undefined && Number.isFinite(value),
  );
  if (ours === undefined || !Number.isFinite(ours) || theirs.length === 0) return "—";
  const best = higherIsBetter ? Math.max(...theirs) : Math.min(...theirs);
  if (best === 0) return ours === 0 ? "1.00×" : "∞";
  return `${(ours / best).toFixed(2)}×`;
}

function n(value: number | null | undefined, unit = ""): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${formatNumber(value)}${unit}`;
}

function drainTable(drains: DrainFigure[]): string[] {
  const out: string[] = [
    "| Plan | System | Items | Items/s | Duplicates | Round trips/item | DB CPU ms/item | Worker CPU ms/item | Load |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  const plans = [...new Set(drains.map((drain) => drain.plan))];
  for (const plan of plans) {
    const rows = drains.filter((drain) => drain.plan === plan);
    for (const row of rows) {
      out.push(
        `| ${PLAN_LABELS[plan] ?? plan} | ${row.system} | ${row.items}${row.finished ? "" : " (timed out)"} | ${n(row.itemsPerSecond)} | ${row.duplicates} | ${n(row.roundTripsPerItem)} | ${n(row.databaseCpuMsPerItem)} | ${n(row.processCpuMsPerItem)} | ${row.load.toFixed(1)} |`,
      );
    }
    const by = (pick: (row: DrainFigure) => number) =>
      Object.fromEntries(rows.map((row) => [row.system, pick(row)])) as Partial<
        Record<PeerSystem, number>
      >;
    out.push(
      `| ${PLAN_LABELS[plan] ?? plan} | **mika ÷ best peer** | | **${ratio(
        by((row) => row.itemsPerSecond),
        true,
      )}** | | **${ratio(
        by((row) => row.roundTripsPerItem),
        false,
      )}** | **${ratio(
        by((row) => row.databaseCpuMsPerItem),
        false,
      )}** | **${ratio(
        by((row) => row.processCpuMsPerItem),
        false,
      )}** | |`,
    );
  }
  return out;
}

function idleTable(idle: IdleFigure[]): string[] {
  const out: string[] = [
    "| Settings | System | Statements/min | Worker CPU ms/min | DB CPU ms/min | Load |",
    "|---|---|---|---|---|---|",
  ];
  for (const tuning of ["default", "latency"] as const) {
    const rows = idle.filter((row) => row.tuning === tuning);
    for (const row of rows) {
      out.push(
        `| ${tuning} | ${row.system} | ${n(row.statementsPerMinute)} | ${n(row.processCpuMsPerMinute)} | ${n(row.databaseCpuMsPerMinute)} | ${row.load.toFixed(1)} |`,
      );
    }
    const by = (pick: (row: IdleFigure) => number) =>
      Object.fromEntries(rows.map((row) => [row.system, pick(row)])) as Partial<
        Record<PeerSystem, number>
      >;
    out.push(
      `| ${tuning} | **mika ÷ cheapest peer** | **${ratio(
        by((row) => row.statementsPerMinute),
        false,
      )}** | **${ratio(
        by((row) => row.processCpuMsPerMinute),
        false,
      )}** | **${ratio(
        by((row) => row.databaseCpuMsPerMinute),
        false,
      )}** | |`,
    );
  }
  return out;
}

function latencyTable(idle: IdleFigure[]): string[] {
  const out: string[] = [
    "| Settings | System | Picked up | Median ms | p95 ms | Load |",
    "|---|---|---|---|---|---|",
  ];
  for (const tuning of ["default", "latency"] as const) {
    const rows = idle.filter((row) => row.tuning === tuning);
    for (const row of rows) {
      out.push(
        `| ${tuning} | ${row.system} | ${row.pickedUp} | ${n(row.pickupMedianMs)} | ${n(row.pickupP95Ms)} | ${row.load.toFixed(1)} |`,
      );
    }
    const by = (pick: (row: IdleFigure) => number) =>
      Object.fromEntries(rows.map((row) => [row.system, pick(row)])) as Partial<
        Record<PeerSystem, number>
      >;
    out.push(
      `| ${tuning} | **mika ÷ fastest peer** | | **${ratio(
        by((row) => row.pickupMedianMs),
        false,
      )}** | **${ratio(
        by((row) => row.pickupP95Ms),
        false,
      )}** | |`,
    );
  }
  return out;
}

function crashTable(crashes: CrashFigure[], capMs: number): string[] {
  const out: string[] = [
    "| System | Lease | In flight at kill | First killed item resumed after | Every item run after | Not run at the cap | Ran twice | Load |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const row of crashes) {
    out.push(
      `| ${row.system} | ${row.leaseSeconds === null ? "4 h (fixed)" : `${row.leaseSeconds} s`} | ${row.inFlightAtKill} | ${row.inFlightAtKill === 0 ? "none in flight" : row.firstResumeSeconds === null ? `not within ${capMs / 1000} s` : `${row.firstResumeSeconds.toFixed(1)} s`} | ${row.allDoneSeconds === null ? `not within ${capMs / 1000} s` : `${row.allDoneSeconds.toFixed(1)} s`} | ${row.notDoneAtCap} | ${row.ranTwice} | ${row.load.toFixed(1)} |`,
    );
  }
  return out;
}

/** The "Peers" section of docs/benchmarks.md. */
export function renderPeersSection(
  report: PeersReport,
  context: { commit: string; command: string; cores: number },
  analysis: readonly string[],
): string[] {
  const out: string[] = [START, "## Peers: mika vs graphile-worker vs pg-boss", ""];
  out.push(
    `Measured ${report.startedAt} at commit ${context.commit} with \`${context.command}\` in ${(report.wallMs / 1000).toFixed(0)} s;`,
    `1-minute load average ${report.loadAtStart.toFixed(1)} at start and ${report.loadAtEnd.toFixed(1)} at end on ${context.cores} cores (each row has the load when it ended).`,
    `Versions: ${PEER_SYSTEMS.map((system) => report.versions[system]).join(", ")}; one Postgres, each system in its own schema.`,
    "",
    "### Drain",
    "",
    `A backlog due at once; each handler waits ${HANDLER_MS} ms and records its key. Items/s runs from the first handler start to the last handler end.`,
    "",
    ...drainTable(report.drains),
    "",
    "### Idle cost",
    "",
    `One process with an empty queue, measured for ${report.idleWindowMs / 1000} s after a 3 s settle and scaled to a minute.`,
    "",
    ...idleTable(report.idle),
    "",
    "### Latency to pick up",
    "",
    `${report.latencyItems} items enqueued one at a time, 100–400 ms apart, into an idle process: time from the enqueue call until the handler started.`,
    "",
    ...latencyTable(report.idle),
    "",
    "### Crash recovery",
    "",
    `Two processes at concurrency 8 drain a backlog; one is killed with SIGKILL after it finished an eighth of it (or once half the backlog is done, if the other outran it). The cap is ${report.crashCapMs / 1000} s after the kill.`,
    "",
    ...crashTable(report.crashes, report.crashCapMs),
    "",
    "### Settings",
    "",
    "- **mika**: `createMikaEmailOutboxRunner({ concurrency })` on the Postgres adapter, driven the way",
    "  `run()` drives the email lane: a pass (`runOnce`) again at once while it found work, else after the",
    `  lane interval (${MIKA_LANE_INTERVAL_MS.default} ms by default; ${MIKA_LANE_INTERVAL_MS.latency} ms tuned for latency, \`lanes.emailOutbox.intervalMs\`).`,
    "  Crash recovery sets `leaseMs: 10000` (default 5 minutes).",
    "- **graphile-worker**: `run({ concurrency, pgPool, schema, taskList })` with, as its performance guide",
    '  advises for throughput, `preset.worker.localQueue.size = concurrency + 1` ("a good starting point")',
    "  and `completeJobBatchDelay: 0` / `failJobBatchDelay: 0` (batched completions). `pollInterval`",
    "  stays at its default (2 s): new jobs arrive by LISTEN/NOTIFY, so no knob is needed for latency.",
    "  A crashed worker's jobs stay locked until the 4-hour lock timeout (not configurable), so crash",
    "  recovery is not reached within the cap.",
    "- **pg-boss**: `work(queue, { batchSize: max(2, concurrency), burstWhenBatchFull: true,",
    "  localConcurrency: 1 }, handler)`: the docs' throughput setting (fetch a batch, fetch again at once",
    "  while batches come back full); the handler runs the batch with `concurrency` handlers in flight.",
    "  Tuned for latency: `useListenNotify: true` and a queue created with `notify: true`. Crash recovery",
    "  creates the queue with `expireInSeconds: 10` and sets `superviseIntervalSeconds: 1` (the expiry",
    "  sweep). Otherwise defaults (supervision and cron on).",
    "",
    "### Method",
    "",
    "- Every worker is its own Node process on its own connections; each counts the statements it sends",
    "  by wrapping `pg`'s `Client.prototype.query` (all three use the same `pg` copy), from `go` (or the",
    "  idle `mark`) to `stop`, so start-up queries count in the drains.",
    "- Database CPU is the user + system time of the worker's Postgres backends, read from",
    "  `/proc/<pid>/stat` (the server runs on this machine; `pg_stat_statements` is not preloaded and",
    "  `pg_stat_database` is shared with other sessions), found by each worker's `application_name`.",
    "  A backend that closed before the reading is missed.",
    "- Enqueueing uses each system's own API (`addJobs`/`addJob`, `insert`/`send`); mika's backlog is",
    "  inserted in bulk with SQL like the outbox bench, and single items through one INSERT.",
    "- Concurrency 1 drains 500 items (5,000 would take 100 s per system at 20 ms); the idle window is",
    `  ${report.idleWindowMs / 1000} s instead of 60 s, scaled ×${(60_000 / report.idleWindowMs).toFixed(0)}: the machine is shared and loaded.`,
    "",
    "### Analysis",
    "",
    ...analysis.flatMap((paragraph) => [paragraph, ""]),
    END,
  );
  return out;
}

/** The peers section of an existing report, to carry into a rewrite that did not measure it. */
export function extractPeersSection(existing: string): string[] | undefined {
  const lines = existing.split("\n");
  const start = lines.indexOf(START);
  const end = lines.indexOf(END);
  return start >= 0 && end > start ? lines.slice(start, end + 1) : undefined;
}
