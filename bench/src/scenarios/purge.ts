import { MIKA_MAX_LIMIT } from "@mika-maintenance/core";
import { type MeteredAdapter, openMeteredAdapter } from "../adapters/driver-meter.ts";
import type { AdapterName, BenchStore, PurgeBaselines, RawSweep } from "../adapters/store.ts";
import {
  type BenchResult,
  formatNumber,
  measureInterleaved,
  series,
  targetOn,
  timed,
} from "../harness.ts";
import {
  BENCH_NOW,
  DAY,
  HOUR,
  type Scenario,
  type ScenarioContext,
  scaled,
  sequentialId,
} from "../scenario.ts";

/** Rows the adapter may take per call: the most a host can ask for, so its own batching shows. */
const CALL_LIMIT = MIKA_MAX_LIMIT;
/** The best bounded baselines' batch, tuned on this machine under the 250 ms transaction cap. */
const BOUNDED_BATCH: Record<AdapterName, number> = { postgres: 5000, libsql: 10_000, d1: 10_000 };
const MAX_TRANSACTION_MS = 250;
const ITERATIONS = 3;
const RETENTION_DAYS = 14;
const PAYLOAD = `'${'{"event":"payment_intent.succeeded","amount":4200}'.padEnd(300, " ")}'`;

/** Purge throughput of the adapter against the best bounded raw loop and one statement. */
export const purgeScenario: Scenario = {
  key: "purge",
  title: "Purge throughput vs the best bounded raw loop and one unbounded statement",
  async run(context) {
    const store = await context.openStore();
    const metered = await openMeteredAdapter(store.target);
    try {
      return [
        await ephemeralPurge(context, store, metered),
        await payloadPurge(context, store, metered),
      ];
    } finally {
      await metered.close();
    }
  },
};

/** One purge run as measured: throughput and what the driver saw. */
interface PurgeRun {
  rowsPerSecond: number;
  rows: number;
  calls: number;
  roundTrips: number;
  commits: number;
  longestMs: number;
}

/** Measures the adapter, the best bounded loop and one statement over the same fresh data. */
async function comparePurges(input: {
  name: string;
  context: ScenarioContext;
  prepare: (warmup: boolean) => Promise<void>;
  adapterCall: () => Promise<{ rows: number; hasMore: boolean }>;
  metered: MeteredAdapter;
  baselines: PurgeBaselines;
}): Promise<{ adapter: PurgeRun[]; bounded: PurgeRun[]; unbounded: PurgeRun[] }> {
  const runs = {
    adapter: [] as PurgeRun[],
    bounded: [] as PurgeRun[],
    unbounded: [] as PurgeRun[],
  };
  const record = (into: PurgeRun[], run: PurgeRun, warmup: boolean) => {
    if (!warmup) into.push(run);
    return run.rowsPerSecond;
  };
  const raw = (sweep: () => Promise<RawSweep>, into: PurgeRun[]) => async (warmup: boolean) => {
    const { ms, value } = await timed(sweep);
    return record(into, { ...value, calls: 1, rowsPerSecond: value.rows / (ms / 1000) }, warmup);
  };
  const batch = BOUNDED_BATCH[input.context.adapter];
  await measureInterleaved({
    name: input.name,
    warmup: 1,
    iterations: ITERATIONS,
    variants: [
      {
        label: "adapter",
        prepare: input.prepare,
        run: async (warmup) => {
          input.metered.reset();
          let rows = 0;
          let calls = 0;
          const { ms } = await timed(async () => {
            for (;;) {
              const result = await input.adapterCall();
              rows += result.rows;
              calls += 1;
              if (!result.hasMore) break;
            }
          });
          const driver = input.metered.read();
          return record(
            runs.adapter,
            {
              rowsPerSecond: rows / (ms / 1000),
              rows,
              calls,
              roundTrips: driver.roundTrips,
              commits: driver.commits,
              longestMs: driver.longestCallMs,
            },
            warmup,
          );
        },
      },
      {
        label: `best bounded (batches of ${batch.toLocaleString("en-US")})`,
        prepare: input.prepare,
        run: raw(() => input.baselines.bounded(batch), runs.bounded),
      },
      {
        label: "one unbounded statement",
        prepare: input.prepare,
        run: raw(() => input.baselines.unbounded(), runs.unbounded),
      },
    ],
  });
  return runs;
}

async function ephemeralPurge(
  context: ScenarioContext,
  store: BenchStore,
  metered: MeteredAdapter,
): Promise<BenchResult> {
  const expired = scaled(context, 200_000, 2000);
  const live = scaled(context, 200_000, 2000);
  // Every round starts from a freshly loaded table (a tenth of it for the warm-up), so no
  // round inherits dead rows that VACUUM could not reclaim (other sessions' snapshots).
  const prepare = async (warmup: boolean) => {
    const share = warmup ? 10 : 1;
    await store.clear(["ephemeral_records"]);
    await insertEphemeral(store, "exp", Math.ceil(expired / share), { at: BENCH_NOW, stepMs: -10 });
    await insertEphemeral(store, "live", Math.ceil(live / share), { at: BENCH_NOW, stepMs: 10 });
    await store.maintain(["ephemeral_records"]);
  };
  const runs = await comparePurges({
    name: "purge ephemeral",
    context,
    prepare,
    metered,
    baselines: store.raw.purgeEphemeral(BENCH_NOW),
    adapterCall: async () => {
      const result = await metered.adapter.ephemeral.purgeExpired({
        now: BENCH_NOW,
        limit: CALL_LIMIT,
      });
      return { rows: result.purged, hasMore: result.hasMore };
    },
  });
  const left = await store.count("ephemeral_records");
  await store.clear(["ephemeral_records"]);
  return purgeResult({
    key: "purge-ephemeral",
    scenario: `purge ephemeral records (${expired.toLocaleString("en-US")} expired of ${(expired + live).toLocaleString("en-US")})`,
    context,
    runs,
    notes: [`${left.toLocaleString("en-US")} live rows left untouched`],
  });
}

async function payloadPurge(
  context: ScenarioContext,
  store: BenchStore,
  metered: MeteredAdapter,
): Promise<BenchResult> {
  const eligible = scaled(context, 50_000, 2000);
  const recent = scaled(context, 50_000, 2000);
  const old = { at: new Date(Date.parse(BENCH_NOW) - 30 * DAY).toISOString(), stepMs: 1000 };
  const cutoff = new Date(Date.parse(BENCH_NOW) - RETENTION_DAYS * DAY).toISOString();
  const prepare = async (warmup: boolean) => {
    const share = warmup ? 10 : 1;
    await store.clear(["webhook_events"]);
    await insertEvents(store, "old", Math.ceil(eligible / share), old);
    await insertEvents(store, "new", Math.ceil(recent / share), { at: BENCH_NOW, stepMs: -1000 });
    await store.maintain(["webhook_events"]);
  };
  const runs = await comparePurges({
    name: "purge raw payloads",
    context,
    prepare,
    metered,
    baselines: store.raw.purgeWebhookPayloads(BENCH_NOW, cutoff),
    adapterCall: async () => {
      const result = await metered.adapter.ops.purgeWebhookRawPayloads({
        now: BENCH_NOW,
        cutoff,
        limit: CALL_LIMIT,
      });
      return { rows: result.purged, hasMore: result.hasMore };
    },
  });
  const kept = await store.count("webhook_events", "raw_payload IS NOT NULL");
  return purgeResult({
    key: "purge-payloads",
    scenario: `purge raw webhook payloads (${eligible.toLocaleString("en-US")} past retention of ${(eligible + recent).toLocaleString("en-US")})`,
    context,
    runs,
    notes: [`${kept.toLocaleString("en-US")} payloads inside retention kept`],
  });
}

function purgeResult(input: {
  key: string;
  scenario: string;
  context: ScenarioContext;
  runs: { adapter: PurgeRun[]; bounded: PurgeRun[]; unbounded: PurgeRun[] };
  notes: string[];
}): BenchResult {
  const throughput = (runs: PurgeRun[]) => runs.map((run) => run.rowsPerSecond);
  const subject = series("adapter", "rows/s", true, throughput(input.runs.adapter));
  const baseline = series("best bounded raw loop", "rows/s", true, throughput(input.runs.bounded));
  const unbounded = series("one statement", "rows/s", true, throughput(input.runs.unbounded));
  const ratio = subject.stats.median / baseline.stats.median;
  const versusUnbounded = subject.stats.median / unbounded.stats.median;
  const longest = Math.max(...input.runs.adapter.map((run) => run.longestMs));
  return {
    key: input.key,
    scenario: input.scenario,
    adapter: input.context.adapter,
    subject,
    baseline,
    ratio,
    target: targetOn(
      ratio,
      "≥",
      0.8,
      `≥ 0.8× best bounded, ≥ 0.5× one statement (${versusUnbounded.toFixed(2)}×), longest transaction ≤ ${MAX_TRANSACTION_MS} ms (${longest.toFixed(0)} ms)`,
      versusUnbounded >= 0.5 && longest <= MAX_TRANSACTION_MS,
    ),
    notes: [
      `one unbounded statement: median ${formatNumber(unbounded.stats.median)} rows/s; adapter ÷ it ${versusUnbounded.toFixed(2)}`,
      `per whole backlog (driver-counted): ${describeRun("adapter", input.runs.adapter)}; ${describeRun("best bounded", input.runs.bounded)}; ${describeRun("one statement", input.runs.unbounded)}`,
      ...input.notes,
    ],
  };
}

function describeRun(label: string, runs: PurgeRun[]): string {
  const last = runs[runs.length - 1]!;
  const longest = Math.max(...runs.map((run) => run.longestMs));
  return `${label} ${last.calls} call${last.calls === 1 ? "" : "s"}, ${last.roundTrips} round trips, ${last.commits} commits, longest transaction ${longest.toFixed(0)} ms`;
}

function insertEphemeral(
  store: BenchStore,
  prefix: string,
  count: number,
  expiresAt: { at: string; stepMs: number },
): Promise<void> {
  const firstExpiry = new Date(Date.parse(expiresAt.at) + Math.sign(expiresAt.stepMs) * HOUR);
  return store.insertSeries({
    table: "ephemeral_records",
    count,
    columns: {
      kind: {
        sql: "CASE i % 5 WHEN 0 THEN 'token' WHEN 1 THEN 'nonce' WHEN 2 THEN 'lock' WHEN 3 THEN 'rate_limit' ELSE 'cache_marker' END",
      },
      key: sequentialId(`${prefix}-`),
      subject_hash: { sql: "'customer:' || (i % 10000)" },
      value: "1",
      expires_at: { at: firstExpiry.toISOString(), stepMs: expiresAt.stepMs },
      created_at: { at: new Date(Date.parse(BENCH_NOW) - DAY).toISOString() },
    },
  });
}

function insertEvents(
  store: BenchStore,
  prefix: string,
  count: number,
  receivedAt: { at: string; stepMs: number },
): Promise<void> {
  return store.insertSeries({
    table: "webhook_events",
    count,
    columns: {
      id: sequentialId(`evt-${prefix}-`),
      provider: "stripe",
      event_type: "payment_intent.succeeded",
      external_id: sequentialId(`ext-${prefix}-`),
      received_at: receivedAt,
      processed_at: receivedAt,
      raw_payload: { sql: PAYLOAD },
      normalized_payload: { json: { amount: 4200 } },
      raw_payload_purged_at: null,
    },
  });
}
