import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaMaintenanceRunResult,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import {
  type BenchResult,
  measureInterleaved,
  progress,
  series,
  targetOn,
  timed,
} from "../harness.ts";
import { BENCH_NOW, type Scenario } from "../scenario.ts";
import { openSteadyStores, SWEPT_TABLES } from "./steady-state-data.ts";

const WARMUP = 3;
const ITERATIONS = 25;
/** A slow 1M-row sweep stops after this long (with at least 5 iterations each). */
const BUDGET_MS = 20_000;

/** A full sweep with nothing due must cost the same on 1M-row tables as on 10k-row tables. */
export const emptySweepScenario: Scenario = {
  key: "empty-sweep",
  title: "Empty sweep: 10k-row vs 1M-row tables",
  async run(context) {
    const { small, large, smallRows, largeRows } = await openSteadyStores(context);

    const taskMs = { small: new Map<string, number[]>(), large: new Map<string, number[]>() };
    const failures = new Set<string>();
    const sweep = (adapter: MikaStorageAdapter, into: Map<string, number[]>) => {
      const runner = createSweepRunner(adapter);
      return async (warmup: boolean) => {
        const { ms, value } = await timed(() => runner.runOnce({ now: BENCH_NOW }));
        recordTasks(value, warmup ? new Map() : into, failures);
        return ms;
      };
    };
    const [largeRuns, smallRuns] = await measureInterleaved({
      name: "empty sweep",
      warmup: WARMUP,
      iterations: ITERATIONS,
      budgetMs: BUDGET_MS,
      minIterations: 5,
      variants: [
        {
          label: `${largeRows.toLocaleString("en-US")} rows`,
          run: sweep(large.adapter, taskMs.large),
        },
        {
          label: `${smallRows.toLocaleString("en-US")} rows`,
          run: sweep(small.adapter, taskMs.small),
        },
      ],
    });
    const subject = series(
      `runOnce, ${largeRows.toLocaleString("en-US")}-row tables`,
      "ms",
      false,
      largeRuns!,
    );
    const baseline = series(
      `runOnce, ${smallRows.toLocaleString("en-US")}-row tables`,
      "ms",
      false,
      smallRuns!,
    );
    const ratio = subject.stats.median / baseline.stats.median;
    const notes = [
      `tables: ${SWEPT_TABLES.join(", ")} (stock_items at 1/20)`,
      `slowest tasks, median ms at ${largeRows.toLocaleString("en-US")} (${smallRows.toLocaleString("en-US")}) rows: ${slowestTasks(taskMs)}`,
    ];
    if (failures.size > 0) notes.push(`tasks not completed: ${[...failures].join("; ")}`);
    progress(`  empty sweep ratio ${ratio.toFixed(2)}×`);
    const result: BenchResult = {
      key: "empty-sweep",
      scenario: `empty sweep, nothing due (${largeRows.toLocaleString("en-US")}-row vs ${smallRows.toLocaleString("en-US")}-row tables)`,
      adapter: context.adapter,
      subject,
      baseline,
      ratio,
      target: targetOn(ratio, "≤", 1.5, "≤ 1.5× (and every task completed)", failures.size === 0),
      notes,
    };
    return [result];
  },
};

/** The runner with every task wired, as a host would run it. */
export function createSweepRunner(adapter: MikaStorageAdapter) {
  const emailOutboxRunner = createMikaEmailOutboxRunner({
    repositories: { ops: adapter.ops },
    sender: async () => undefined,
  });
  return createMikaMaintenanceRunner({ repositories: adapter, emailOutboxRunner });
}

function recordTasks(
  result: MikaMaintenanceRunResult,
  into: Map<string, number[]>,
  failures: Set<string>,
): void {
  for (const [key, outcome] of Object.entries(result)) {
    if (key === "now" || typeof outcome !== "object") continue;
    if (outcome.status !== "completed") {
      failures.add(
        `${key} ${outcome.status}: ${"error" in outcome ? outcome.error : outcome.reason}`,
      );
      continue;
    }
    const list = into.get(key) ?? [];
    list.push(outcome.durationMs);
    into.set(key, list);
  }
}

function slowestTasks(taskMs: { small: Map<string, number[]>; large: Map<string, number[]> }) {
  const median = (values: number[] | undefined) => {
    if (!values || values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return [...taskMs.large.keys()]
    .map((key) => ({
      key,
      large: median(taskMs.large.get(key)),
      small: median(taskMs.small.get(key)),
    }))
    .sort((a, b) => b.large - a.large)
    .slice(0, 3)
    .map((task) => `${task.key} ${task.large.toFixed(1)} (${task.small.toFixed(1)})`)
    .join(", ");
}
