import {
  createMikaMaintenanceRunner,
  type MikaMaintenanceRunner,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import { openMeteredAdapter } from "../adapters/driver-meter.ts";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, measureInterleaved, series, summarize, targetOn } from "../harness.ts";
import { BENCH_NOW, type Scenario, scaled } from "../scenario.ts";
import { loadPeople, openErasureScene } from "./people-data.ts";

const ITERATIONS = 3;
/** The target on Postgres: 4× the 93 requests/s of the step-by-step path. */
const POSTGRES_TARGET = 370;
/** Single-row durable commits timed to state this machine's floor per commit. */
const COMMIT_SAMPLES = 200;

/**
 * Account delete in one transaction per request (the store's `transaction`) against the
 * step-by-step path (the same adapter without its store), interleaved in one run, with round
 * trips and write commits counted on the driver, the time of one durable commit on this
 * machine (the floor of any path that commits once per request), and a PII scan of every
 * erased customer afterwards.
 */
export const erasurePathsScenario: Scenario = {
  key: "erasure-paths",
  title: "Account delete: one transaction per request vs step by step",
  async run(context) {
    const perRound = scaled(context, 100, 10);
    const bystanders = scaled(context, 5000, 50);
    const store = await openErasureScene(context, bystanders);
    const metered = await openMeteredAdapter(store.target);
    try {
      let round = 0;
      type PerRequest = { roundTrips: number; commits: number };
      const driver = { transaction: [] as PerRequest[], steps: [] as PerRequest[] };
      const variant = (label: string, adapter: MikaStorageAdapter, into: PerRequest[]) => {
        const runner = createMikaMaintenanceRunner({ repositories: adapter });
        return {
          label,
          prepare: async (warmup: boolean) => {
            round += 1;
            await loadPeople(store, `r${round}`, warmup ? perRound / 4 : perRound, true);
            await store.maintain();
          },
          run: async (warmup: boolean) => {
            metered.reset();
            const started = performance.now();
            const done = await eraseAll(runner);
            const seconds = (performance.now() - started) / 1000;
            const reading = metered.read();
            if (!warmup) {
              into.push({ roundTrips: reading.roundTrips / done, commits: reading.commits / done });
            }
            return done / seconds;
          },
        };
      };
      const [oneTransaction, stepByStep] = await measureInterleaved({
        name: "erasure paths",
        warmup: 1,
        iterations: ITERATIONS,
        variants: [
          variant("one transaction", metered.adapter, driver.transaction),
          variant("step by step", { ...metered.adapter, store: undefined }, driver.steps),
        ],
      });
      const leftQueued = await store.count("account_delete_requests", "status = 'queued'");
      const pii = await piiLeft(store);
      const subject = series("one transaction per request", "requests/s", true, oneTransaction!);
      const baseline = series("step by step (no store)", "requests/s", true, stepByStep!);
      const ratio = subject.stats.median / baseline.stats.median;
      const clean = pii === 0 && leftQueued === 0;
      const commitMs = await durableCommitMs(store);
      const mean = (runs: PerRequest[], figure: keyof PerRequest) =>
        (runs.reduce((sum, run) => sum + run[figure], 0) / Math.max(runs.length, 1)).toFixed(1);
      const result: BenchResult = {
        key: "erasure-paths",
        scenario: "account delete, one transaction vs step by step",
        adapter: context.adapter,
        subject,
        baseline,
        ratio,
        target:
          context.adapter === "postgres"
            ? targetOn(
                subject.stats.median,
                "≥",
                POSTGRES_TARGET,
                `≥ ${POSTGRES_TARGET} requests/s, PII scan clean`,
                clean,
              )
            : targetOn(ratio, "≥", 1, "≥ 1× step by step, PII scan clean", clean),
        notes: [
          `per request, counted on the driver: one transaction ${mean(driver.transaction, "roundTrips")} round trips and ${mean(driver.transaction, "commits")} write commits; step by step ${mean(driver.steps, "roundTrips")} round trips and ${mean(driver.steps, "commits")} write commits`,
          `one durable single-row commit on this machine: median ${commitMs.median.toFixed(2)} ms (p75 ${commitMs.q3.toFixed(2)}, n=${commitMs.n}), so one commit per request alone caps a serial runner at ${Math.floor(1000 / commitMs.median)} requests/s`,
          `PII scan of every erased customer (customers, order snapshots, emails): ${pii} cells left; ${leftQueued} requests left queued`,
        ],
      };
      return [result];
    } finally {
      await metered.close();
    }
  },
};

async function eraseAll(runner: MikaMaintenanceRunner) {
  let done = 0;
  for (;;) {
    const outcome = await runner.runTask("accountDeleteRequests", {
      now: BENCH_NOW,
      accountDeleteLimit: 25,
    });
    if (outcome.status !== "completed") {
      throw new Error(`accountDeleteRequests ${outcome.status}: ${JSON.stringify(outcome)}`);
    }
    done += outcome.result.completed;
    if (outcome.result.scanned === 0) return done;
  }
}

/**
 * Times single-row updates run on their own (each one transaction, flushed to disk before it
 * returns): what one commit per request costs on this machine, whatever else the path does.
 */
async function durableCommitMs(store: BenchStore) {
  const samples: number[] = [];
  for (let index = 0; index < COMMIT_SAMPLES; index++) {
    const started = performance.now();
    await store.query(
      "update {stock_items} set quantity_on_hand = quantity_on_hand + 1 where id = 'sku-0'",
    );
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** Cells of erased customers (prefix `r`) that still hold their email, name, company or VAT id. */
async function piiLeft(store: BenchStore): Promise<number> {
  const scans: [string, string][] = [
    [
      "customers",
      "id like 'r%' and (email is not null or name is not null or company is not null or vat_id is not null)",
    ],
    ["orders", "id like 'ord-r%' and cast(customer_snapshot as text) like '%Ada Buyer%'"],
    ["email_outbox", "id like 'em-r%' and to_address like '%@example.com'"],
  ];
  let left = 0;
  for (const [table, where] of scans) left += await store.count(table, where);
  return left;
}
