import { openMeteredAdapter } from "../adapters/driver-meter.ts";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, measureInterleaved, series, summarize, targetOn } from "../harness.ts";
import { BENCH_NOW, HOUR, type Scenario, scaled, sequentialId, shift } from "../scenario.ts";

const LIMIT = 500;
const QUANTITY = 2;
const ITERATIONS = 3;
const MAX_BATCH_MS = 250;
/** Slow releases stop after this long, with at least two measured rounds each. */
const BUDGET_MS = 45_000;

/** Releasing 100k expired reservations over 5k stock items, one bounded transaction per call. */
export const stockReleaseScenario: Scenario = {
  key: "stock",
  title: "Stock release: 100k expired reservations over 5k items",
  async run(context) {
    const items = scaled(context, 5000, 50);
    const reservations = scaled(context, 100_000, 2 * LIMIT);
    const perItem = Math.ceil(reservations / items) * QUANTITY;
    const store = await context.openStore();
    const metered = await openMeteredAdapter(store.target);
    const driver = { calls: 0, roundTrips: 0, commits: 0 };
    let round = 0;
    const prepare = async (warmup: boolean) => {
      round += 1;
      // Fresh tables every round: no round inherits dead rows VACUUM could not reclaim.
      await loadStock(store, round, warmup ? reservations / 10 : reservations, items, perItem);
      await store.maintain(["stock_reservations", "stock_items"]);
    };
    const adapterBatchMs: number[] = [];
    const rawBatchMs: number[] = [];
    type Batch = () => Promise<{ rows: number; done: boolean }>;
    const release = (batch: Batch, into: number[]) => async (warmup: boolean) => {
      let rows = 0;
      const started = performance.now();
      for (;;) {
        const batchStarted = performance.now();
        const released = await batch();
        if (!warmup) into.push(performance.now() - batchStarted);
        rows += released.rows;
        if (released.done) break;
      }
      return rows / ((performance.now() - started) / 1000);
    };
    const [adapterRuns, rawRuns] = await measureInterleaved({
      name: "stock release",
      warmup: 1,
      iterations: ITERATIONS,
      budgetMs: BUDGET_MS,
      minIterations: 2,
      variants: [
        {
          label: "adapter releaseExpiredReservations",
          prepare,
          run: release(async () => {
            metered.reset();
            const result = await metered.adapter.stock.releaseExpiredReservations({
              now: BENCH_NOW,
              limit: LIMIT,
            });
            const reading = metered.read();
            driver.calls += 1;
            driver.roundTrips += reading.roundTrips;
            driver.commits += reading.commits;
            return {
              rows: result.reservationsReleased,
              done: !result.hasMore || result.reservationsReleased === 0,
            };
          }, adapterBatchMs),
        },
        {
          label: "raw one-statement release (ordered item locks)",
          prepare,
          run: release(async () => {
            const rows = await store.raw.releaseExpiredReservationBatch(BENCH_NOW, LIMIT);
            return { rows, done: rows < LIMIT };
          }, rawBatchMs),
        },
      ],
    });
    await metered.close();
    const stillActive = await store.count("stock_reservations", "status = 'active'");
    const [held] = await store.query("SELECT sum(quantity_reserved) AS held FROM {stock_items}");
    const batches = summarize(adapterBatchMs);
    const subject = series("adapter releaseExpiredReservations", "rows/s", true, adapterRuns!);
    const baseline = series(
      "raw one-statement release (ordered item locks)",
      "rows/s",
      true,
      rawRuns!,
    );
    const result: BenchResult = {
      key: "stock",
      scenario: `stock release (${reservations.toLocaleString("en-US")} expired reservations, ${items.toLocaleString("en-US")} items, limit ${LIMIT})`,
      adapter: context.adapter,
      subject,
      baseline,
      ratio: subject.stats.median / baseline.stats.median,
      target: targetOn(
        subject.stats.median / baseline.stats.median,
        "≥",
        0.9,
        `≥ 0.9× the one-statement release, no call over ${MAX_BATCH_MS} ms (longest ${batches.max.toFixed(0)} ms)`,
        batches.max <= MAX_BATCH_MS,
      ),
      notes: [
        `per call (driver-counted): ${(driver.roundTrips / driver.calls).toFixed(2)} round trips, ${(driver.commits / driver.calls).toFixed(2)} commits over ${driver.calls} calls; the raw baseline is one statement`,
        `adapter call ms: median ${batches.median.toFixed(1)}, p75 ${batches.q3.toFixed(1)}, max ${batches.max.toFixed(1)} over ${batches.n} calls`,
        `calls over ${MAX_BATCH_MS} ms: adapter ${overLimit(adapterBatchMs)} of ${adapterBatchMs.length}, raw baseline ${overLimit(rawBatchMs)} of ${rawBatchMs.length} (longest raw batch ${summarize(rawBatchMs).max.toFixed(0)} ms)`,
        `after the last run: ${stillActive} still active, ${Number(held?.held ?? 0)} units still reserved`,
      ],
    };
    return [result];
  },
};

async function loadStock(
  store: BenchStore,
  round: number,
  count: number,
  items: number,
  perItem: number,
): Promise<void> {
  await store.clear(["stock_reservations", "stock_items"]);
  await store.insertSeries({
    table: "stock_items",
    count: items,
    columns: {
      id: sequentialId("sku-"),
      quantity_on_hand: 1_000_000,
      quantity_reserved: perItem,
      updated_at: { at: shift(BENCH_NOW, -HOUR) },
    },
  });
  await store.insertSeries({
    table: "stock_reservations",
    count,
    columns: {
      id: sequentialId(`res-${round}-`),
      stock_item_id: sequentialId("sku-", `i % ${items}`),
      customer_id: { sql: "'cus-' || (i % 20000)" },
      cart_id: { sql: "'cart-' || i" },
      quantity: QUANTITY,
      status: "active",
      idempotency_key: sequentialId(`idem-${round}-`),
      expires_at: { at: shift(BENCH_NOW, -HOUR), stepMs: -1 },
      created_at: { at: shift(BENCH_NOW, -2 * HOUR) },
      updated_at: { at: shift(BENCH_NOW, -2 * HOUR) },
      ended_at: null,
    },
  });
}

function overLimit(durations: number[]): number {
  return durations.filter((ms) => ms > MAX_BATCH_MS).length;
}
