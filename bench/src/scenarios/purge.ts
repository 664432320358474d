import type { BenchStore } from "../adapters/store.ts";
import {
  type BenchResult,
  measureInterleaved,
  type Series,
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

// The Postgres adapter's default transaction size (`batchSize` 500): with `limit` 500 every
// adapter call is one transaction, exactly like one statement of the raw loop.
const BATCH = 500;
const ITERATIONS = 3;
const RETENTION_DAYS = 14;
const PAYLOAD = `'${'{"event":"payment_intent.succeeded","amount":4200}'.padEnd(300, " ")}'`;

/** Purge throughput of the adapter against raw batched SQL with the same batch size. */
export const purgeScenario: Scenario = {
  key: "purge",
  title: "Purge throughput vs raw batched SQL",
  async run(context) {
    const store = await context.openStore();
    return [await ephemeralPurge(context, store), await payloadPurge(context, store)];
  },
};

async function ephemeralPurge(context: ScenarioContext, store: BenchStore): Promise<BenchResult> {
  const expired = scaled(context, 200_000, 2 * BATCH);
  const live = scaled(context, 200_000, 2 * BATCH);
  // Every round starts from a freshly loaded table (a tenth of it for the warm-up), so no
  // round inherits dead rows that VACUUM could not reclaim (other sessions' snapshots).
  const prepare = async (warmup: boolean) => {
    const share = warmup ? 10 : 1;
    await store.clear(["ephemeral_records"]);
    await insertEphemeral(store, "exp", Math.ceil(expired / share), { at: BENCH_NOW, stepMs: -10 });
    await insertEphemeral(store, "live", Math.ceil(live / share), { at: BENCH_NOW, stepMs: 10 });
    await store.maintain(["ephemeral_records"]);
  };
  const purgeWith = (purge: () => Promise<number>, stop: (rows: number) => boolean) => async () => {
    let rows = 0;
    const { ms } = await timed(async () => {
      for (;;) {
        const batch = await purge();
        rows += batch;
        if (stop(batch)) break;
      }
    });
    return rows / (ms / 1000);
  };
  let hasMore = true;
  const [adapterRuns, rawRuns] = await measureInterleaved({
    name: "purge ephemeral",
    warmup: 1,
    iterations: ITERATIONS,
    variants: [
      {
        label: "adapter purgeExpired",
        prepare,
        run: purgeWith(
          async () => {
            const result = await store.adapter.ephemeral.purgeExpired({
              now: BENCH_NOW,
              limit: BATCH,
            });
            hasMore = result.hasMore;
            return result.purged;
          },
          (batch) => !hasMore || batch === 0,
        ),
      },
      {
        label: "raw batched DELETE",
        prepare,
        run: purgeWith(
          () => store.raw.purgeEphemeralBatch(BENCH_NOW, BATCH),
          (batch) => batch < BATCH,
        ),
      },
    ],
  });
  const left = await store.count("ephemeral_records");
  await store.clear(["ephemeral_records"]);
  return purgeResult({
    key: "purge-ephemeral",
    scenario: `purge ephemeral records (${expired.toLocaleString("en-US")} expired of ${(expired + live).toLocaleString("en-US")})`,
    context,
    subject: series("adapter purgeExpired", "rows/s", true, adapterRuns!),
    baseline: series("raw batched DELETE", "rows/s", true, rawRuns!),
    notes: [`batch ${BATCH}`, `${left.toLocaleString("en-US")} live rows left untouched`],
  });
}

async function payloadPurge(context: ScenarioContext, store: BenchStore): Promise<BenchResult> {
  const eligible = scaled(context, 50_000, 2 * BATCH);
  const recent = scaled(context, 50_000, 2 * BATCH);
  const old = { at: new Date(Date.parse(BENCH_NOW) - 30 * DAY).toISOString(), stepMs: 1000 };
  const cutoff = new Date(Date.parse(BENCH_NOW) - RETENTION_DAYS * DAY).toISOString();
  const prepare = async (warmup: boolean) => {
    const share = warmup ? 10 : 1;
    await store.clear(["webhook_events"]);
    await insertEvents(store, "old", Math.ceil(eligible / share), old);
    await insertEvents(store, "new", Math.ceil(recent / share), { at: BENCH_NOW, stepMs: -1000 });
    await store.maintain(["webhook_events"]);
  };
  const loop = (purge: () => Promise<{ rows: number; done: boolean }>) => async () => {
    let rows = 0;
    const { ms } = await timed(async () => {
      for (;;) {
        const batch = await purge();
        rows += batch.rows;
        if (batch.done) break;
      }
    });
    return rows / (ms / 1000);
  };
  const [adapterRuns, rawRuns] = await measureInterleaved({
    name: "purge raw payloads",
    warmup: 1,
    iterations: ITERATIONS,
    variants: [
      {
        label: "adapter purgeWebhookRawPayloads",
        prepare,
        run: loop(async () => {
          const result = await store.adapter.ops.purgeWebhookRawPayloads({
            now: BENCH_NOW,
            cutoff,
            limit: BATCH,
          });
          return { rows: result.purged, done: !result.hasMore || result.purged === 0 };
        }),
      },
      {
        label: "raw batched UPDATE",
        prepare,
        run: loop(async () => {
          const rows = await store.raw.purgeWebhookPayloadBatch(BENCH_NOW, cutoff, BATCH);
          return { rows, done: rows < BATCH };
        }),
      },
    ],
  });
  const kept = await store.count("webhook_events", "raw_payload IS NOT NULL");
  return purgeResult({
    key: "purge-payloads",
    scenario: `purge raw webhook payloads (${eligible.toLocaleString("en-US")} past retention of ${(eligible + recent).toLocaleString("en-US")})`,
    context,
    subject: series("adapter purgeWebhookRawPayloads", "rows/s", true, adapterRuns!),
    baseline: series("raw batched UPDATE", "rows/s", true, rawRuns!),
    notes: [`batch ${BATCH}`, `${kept.toLocaleString("en-US")} payloads inside retention kept`],
  });
}

function purgeResult(input: {
  key: string;
  scenario: string;
  context: ScenarioContext;
  subject: Series;
  baseline: Series;
  notes: string[];
}): BenchResult {
  const ratio = input.subject.stats.median / input.baseline.stats.median;
  return {
    key: input.key,
    scenario: input.scenario,
    adapter: input.context.adapter,
    subject: input.subject,
    baseline: input.baseline,
    ratio,
    target: targetOn(ratio, "≥", 0.8, "≥ 0.8× baseline rows/s"),
    notes: input.notes,
  };
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
