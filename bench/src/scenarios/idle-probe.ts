import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { type CountingAdapter, openCountingAdapter } from "../adapters/counting-adapter.ts";
import {
  type BenchResult,
  measureInterleaved,
  progress,
  series,
  targetOn,
  timed,
} from "../harness.ts";
import { BENCH_NOW, type Scenario } from "../scenario.ts";
import { createSweepRunner } from "./empty-sweep.ts";
import { openSteadyStores } from "./steady-state-data.ts";

const WARMUP = 3;
const ITERATIONS = 25;
const BUDGET_MS = 20_000;
/** The target: an empty sweep is one probe, plus at most one more round trip. */
const MAX_ROUND_TRIPS = 2;

/**
 * An empty sweep through the due-work probe (`repositories.store.probeDueWork`), with round
 * trips counted on the driver: 1M-row vs 10k-row tables, and the same sweep without the store
 * (every task runs its own statements) for the before → after.
 */
export const idleProbeScenario: Scenario = {
  key: "idle-probe",
  title: "Empty sweep through the due-work probe: round trips and 10k vs 1M rows",
  async run(context) {
    const { small, large, smallRows, largeRows } = await openSteadyStores(context);
    const countedSmall = await openCountingAdapter(small.target);
    const countedLarge = await openCountingAdapter(large.target);
    try {
      const probed = { small: [] as number[], large: [] as number[] };
      const sweep = (counted: CountingAdapter, trips: number[]) => {
        const runner = createSweepRunner(counted.adapter);
        return async (warmup: boolean) => {
          const before = counted.roundTrips();
          const { ms, value } = await timed(() => runner.runOnce({ now: BENCH_NOW }));
          if (!warmup) trips.push(counted.roundTrips() - before);
          requireAllCompleted(value);
          return ms;
        };
      };
      const [largeRuns, smallRuns] = await measureInterleaved({
        name: "idle probe",
        warmup: WARMUP,
        iterations: ITERATIONS,
        budgetMs: BUDGET_MS,
        minIterations: 5,
        variants: [
          {
            label: `${largeRows.toLocaleString("en-US")} rows`,
            run: sweep(countedLarge, probed.large),
          },
          {
            label: `${smallRows.toLocaleString("en-US")} rows`,
            run: sweep(countedSmall, probed.small),
          },
        ],
      });
      const unprobed = await sweepWithoutStore(countedLarge);
      const subject = series(
        `runOnce with the probe, ${largeRows.toLocaleString("en-US")}-row tables`,
        "ms",
        false,
        largeRuns!,
      );
      const baseline = series(
        `runOnce with the probe, ${smallRows.toLocaleString("en-US")}-row tables`,
        "ms",
        false,
        smallRuns!,
      );
      const ratio = subject.stats.median / baseline.stats.median;
      const roundTrips = Math.max(...probed.large, ...probed.small);
      progress(`  idle probe ratio ${ratio.toFixed(2)}×, ${roundTrips} round trips per sweep`);
      const result: BenchResult = {
        key: "idle-probe",
        scenario: `empty sweep through the probe (${largeRows.toLocaleString("en-US")}-row vs ${smallRows.toLocaleString("en-US")}-row tables)`,
        adapter: context.adapter,
        subject,
        baseline,
        ratio,
        target: targetOn(
          ratio,
          "≤",
          1.2,
          `≤ 1.2× and ≤ ${MAX_ROUND_TRIPS} round trips per sweep`,
          roundTrips <= MAX_ROUND_TRIPS,
        ),
        notes: [
          `round trips per empty sweep, counted on the driver: ${roundTrips} with the probe; ${unprobed.roundTrips} without it (every task runs its statements)`,
          `without the probe, ${largeRows.toLocaleString("en-US")}-row tables: median ${unprobed.medianMs.toFixed(2)} ms per sweep`,
        ],
      };
      return [result];
    } finally {
      await countedSmall.close();
      await countedLarge.close();
    }
  },
};

/** The same sweep with the store taken away: the path of an adapter that has no probe. */
async function sweepWithoutStore(counted: CountingAdapter) {
  const adapter: MikaStorageAdapter = { ...counted.adapter, store: undefined };
  const runner = createSweepRunner(adapter);
  const times: number[] = [];
  let roundTrips = 0;
  for (let round = 0; round < 8; round++) {
    const before = counted.roundTrips();
    const { ms, value } = await timed(() => runner.runOnce({ now: BENCH_NOW }));
    requireAllCompleted(value);
    roundTrips = counted.roundTrips() - before;
    if (round >= 3) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { roundTrips, medianMs: times[Math.floor(times.length / 2)]! };
}

function requireAllCompleted(result: Record<string, unknown>): void {
  for (const [key, outcome] of Object.entries(result)) {
    if (key === "now") continue;
    const status = (outcome as { status: string }).status;
    if (status !== "completed") throw new Error(`${key} ${status}: ${JSON.stringify(outcome)}`);
  }
}
