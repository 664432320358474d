import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaMaintenanceRunResult,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import { type MeteredAdapter, openMeteredAdapter } from "../adapters/driver-meter.ts";
import {
  type BenchResult,
  measureInterleaved,
  progress,
  type Series,
  series,
  targetOn,
  timed,
} from "../harness.ts";
import { BENCH_NOW, type Scenario } from "../scenario.ts";
import { openSteadyStores, SWEPT_TABLES } from "./steady-state-data.ts";

const WARMUP = 3;
const ITERATIONS = 25;
/** Slow 1M-row sweeps stop after this long (with at least 5 iterations each). */
const BUDGET_MS = 40_000;
/** The target: an empty sweep is one probe, plus at most one more round trip. */
const MAX_ROUND_TRIPS = 2;

/** One way of sweeping: with the store's due-work probe, or without it (every task runs). */
type SweepPath = "probe" | "no-probe";

/**
 * A full sweep with nothing due, on 1M-row tables against 10k-row tables, both ways: through
 * the due-work probe (`repositories.store.probeDueWork`, result `idle-probe`) and with the
 * store taken away, as an adapter without a probe runs it (result `empty-sweep`). The four
 * variants share one pair of loaded stores and are interleaved; round trips are counted on
 * the driver.
 */
export const emptySweepScenario: Scenario = {
  key: "empty-sweep",
  title: "Empty sweep, 10k-row vs 1M-row tables, with and without the due-work probe",
  async run(context) {
    const { small, large, smallRows, largeRows } = await openSteadyStores(context);
    const meteredSmall = await openMeteredAdapter(small.target);
    const meteredLarge = await openMeteredAdapter(large.target);
    const rows = {
      small: smallRows.toLocaleString("en-US"),
      large: largeRows.toLocaleString("en-US"),
    };
    try {
      const trips: Record<SweepPath, number[]> = { probe: [], "no-probe": [] };
      const taskMs: Record<SweepPath, { small: TaskTimes; large: TaskTimes }> = {
        probe: { small: new Map(), large: new Map() },
        "no-probe": { small: new Map(), large: new Map() },
      };
      const failures = new Set<string>();
      const sweep = (metered: MeteredAdapter, path: SweepPath, size: "small" | "large") => {
        const adapter: MikaStorageAdapter =
          path === "probe" ? metered.adapter : { ...metered.adapter, store: undefined };
        const runner = createSweepRunner(adapter);
        return {
          label: `${rows[size]} rows, ${path === "probe" ? "with" : "without"} the probe`,
          run: async (warmup: boolean) => {
            metered.reset();
            const { ms, value } = await timed(() => runner.runOnce({ now: BENCH_NOW }));
            if (!warmup) trips[path].push(metered.read().roundTrips);
            recordTasks(value, warmup ? new Map() : taskMs[path][size], failures);
            return ms;
          },
        };
      };
      const [probeLarge, probeSmall, plainLarge, plainSmall] = await measureInterleaved({
        name: "empty sweep",
        warmup: WARMUP,
        iterations: ITERATIONS,
        budgetMs: BUDGET_MS,
        minIterations: 5,
        variants: [
          sweep(meteredLarge, "probe", "large"),
          sweep(meteredSmall, "probe", "small"),
          sweep(meteredLarge, "no-probe", "large"),
          sweep(meteredSmall, "no-probe", "small"),
        ],
      });
      const sweepSeries = (size: "small" | "large", path: SweepPath, samples: number[]) =>
        series(
          `runOnce ${path === "probe" ? "with" : "without"} the probe, ${rows[size]}-row tables`,
          "ms",
          false,
          samples,
        );
      const maxTrips = (path: SweepPath) => Math.max(...trips[path]);
      const failed = failures.size > 0 ? [`tasks not completed: ${[...failures].join("; ")}`] : [];
      const tables = `tables: ${SWEPT_TABLES.join(", ")} (stock_items at 1/20)`;
      const probed = compare(
        sweepSeries("large", "probe", probeLarge!),
        sweepSeries("small", "probe", probeSmall!),
      );
      const plain = compare(
        sweepSeries("large", "no-probe", plainLarge!),
        sweepSeries("small", "no-probe", plainSmall!),
      );
      progress(
        `  empty sweep ratios: ${probed.ratio.toFixed(2)}× with the probe (${maxTrips("probe")} round trips), ${plain.ratio.toFixed(2)}× without (${maxTrips("no-probe")})`,
      );
      const scenario = (path: string) =>
        `empty sweep ${path}, nothing due (${rows.large}-row vs ${rows.small}-row tables)`;
      return [
        {
          key: "idle-probe",
          scenario: scenario("through the due-work probe"),
          adapter: context.adapter,
          ...probed,
          target: targetOn(
            probed.ratio,
            "≤",
            1.2,
            `≤ 1.2× and ≤ ${MAX_ROUND_TRIPS} round trips per sweep (${maxTrips("probe")}), every task completed`,
            maxTrips("probe") <= MAX_ROUND_TRIPS && failures.size === 0,
          ),
          notes: [
            `round trips per empty sweep, counted on the driver: ${maxTrips("probe")} with the probe, ${maxTrips("no-probe")} without it`,
            `slowest tasks with the probe, median ms at ${rows.large} (${rows.small}) rows: ${slowestTasks(taskMs.probe)}`,
            tables,
            ...failed,
          ],
        },
        {
          key: "empty-sweep",
          scenario: scenario("without the probe (every task runs its statements)"),
          adapter: context.adapter,
          ...plain,
          target: targetOn(
            plain.ratio,
            "≤",
            1.5,
            "≤ 1.5× (and every task completed)",
            failures.size === 0,
          ),
          notes: [
            `round trips per empty sweep, counted on the driver: ${maxTrips("no-probe")}`,
            `slowest tasks, median ms at ${rows.large} (${rows.small}) rows: ${slowestTasks(taskMs["no-probe"])}`,
            tables,
            ...failed,
          ],
        },
      ] satisfies BenchResult[];
    } finally {
      await meteredSmall.close();
      await meteredLarge.close();
    }
  },
};

function compare(subject: Series, baseline: Series) {
  return { subject, baseline, ratio: subject.stats.median / baseline.stats.median };
}

/**
 * The runner with every task wired, as a host would run it. Nothing is due in these sweeps,
 * so the webhook replay driver (which `webhookRetries` needs to run at all) must never be
 * called: it throws, and the task's failure fails the scenario.
 */
export function createSweepRunner(adapter: MikaStorageAdapter) {
  const emailOutboxRunner = createMikaEmailOutboxRunner({
    repositories: { ops: adapter.ops },
    sender: async () => undefined,
  });
  return createMikaMaintenanceRunner({
    repositories: adapter,
    emailOutboxRunner,
    api: {
      admin: {
        webhookReplay: async ({ webhookId }) => {
          throw new Error(`an empty sweep replayed webhook ${webhookId}`);
        },
      },
    },
  });
}

/** Each task's durations, by task key. */
type TaskTimes = Map<string, number[]>;

function recordTasks(
  result: MikaMaintenanceRunResult,
  into: TaskTimes,
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

function slowestTasks(taskMs: { small: TaskTimes; large: TaskTimes }) {
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
