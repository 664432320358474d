import {
  createMikaMaintenanceRunner,
  type MikaMaintenanceRunner,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import { openCountingAdapter } from "../adapters/counting-adapter.ts";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, measureInterleaved, series, targetOn } from "../harness.ts";
import { BENCH_NOW, type Scenario, scaled } from "../scenario.ts";
import { loadPeople, openErasureScene } from "./people-data.ts";

const ITERATIONS = 3;
/** The target on Postgres: 4× the 93 requests/s of the step-by-step path. */
const POSTGRES_TARGET = 370;

/**
 * Account delete in one transaction per request (the store's `transaction`) against the
 * step-by-step path (the same adapter without its store), interleaved in one run, with round
 * trips counted on the driver and a PII scan of every erased customer afterwards.
 */
export const erasurePathsScenario: Scenario = {
  key: "erasure-paths",
  title: "Account delete: one transaction per request vs step by step",
  async run(context) {
    const perRound = scaled(context, 100, 10);
    const bystanders = scaled(context, 5000, 50);
    const store = await openErasureScene(context, bystanders);
    const counted = await openCountingAdapter(store.target);
    try {
      let round = 0;
      const trips = { transaction: [] as number[], steps: [] as number[] };
      const variant = (label: string, adapter: MikaStorageAdapter, into: number[]) => {
        const runner = createMikaMaintenanceRunner({ repositories: adapter });
        return {
          label,
          prepare: async (warmup: boolean) => {
            round += 1;
            await loadPeople(store, `r${round}`, warmup ? perRound / 4 : perRound, true);
            await store.maintain();
          },
          run: async (warmup: boolean) => {
            const before = counted.roundTrips();
            const started = performance.now();
            const done = await eraseAll(runner);
            const seconds = (performance.now() - started) / 1000;
            if (!warmup) into.push((counted.roundTrips() - before) / done);
            return done / seconds;
          },
        };
      };
      const [oneTransaction, stepByStep] = await measureInterleaved({
        name: "erasure paths",
        warmup: 1,
        iterations: ITERATIONS,
        variants: [
          variant("one transaction", counted.adapter, trips.transaction),
          variant("step by step", { ...counted.adapter, store: undefined }, trips.steps),
        ],
      });
      const leftQueued = await store.count("account_delete_requests", "status = 'queued'");
      const pii = await piiLeft(store);
      const subject = series("one transaction per request", "requests/s", true, oneTransaction!);
      const baseline = series("step by step (no store)", "requests/s", true, stepByStep!);
      const ratio = subject.stats.median / baseline.stats.median;
      const clean = pii === 0 && leftQueued === 0;
      const perRequest = (values: number[]) =>
        (values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1)).toFixed(1);
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
          `round trips per request, counted on the driver: ${perRequest(trips.transaction)} in one transaction, ${perRequest(trips.steps)} step by step`,
          `PII scan of every erased customer (customers, order snapshots, emails): ${pii} cells left; ${leftQueued} requests left queued`,
        ],
      };
      return [result];
    } finally {
      await counted.close();
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
