/** Summary statistics of one series of samples. */
export interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

/** Median, quartiles and range of `samples` (linear interpolation between ranks). */
export function summarize(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error("summarize needs at least one sample.");
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number): number => {
    const rank = (sorted.length - 1) * fraction;
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
  };
  return {
    n: sorted.length,
    median: at(0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    q1: at(0.25),
    q3: at(0.75),
  };
}

/** A measured series: what it is, its unit, and whether a bigger number is better. */
export interface Series {
  label: string;
  unit: string;
  higherIsBetter: boolean;
  stats: Stats;
}

/** A target on the subject/baseline ratio, or on an absolute figure. */
export interface Target {
  /** How the target reads in the report, e.g. `≥ 0.8× baseline`. */
  description: string;
  met: boolean;
  /** How far the figure is from the threshold, relative (0.05 = 5% to spare; < 0 = missed). */
  margin?: number;
}

/**
 * A target on one figure: `≥` or `≤` a threshold, and any extra condition (e.g. no
 * duplicates) that must also hold.
 */
export function targetOn(
  value: number,
  comparison: "≥" | "≤",
  threshold: number,
  description: string,
  alsoRequired = true,
): Target {
  const margin = comparison === "≥" ? value / threshold - 1 : threshold / value - 1;
  return { description, met: margin >= 0 && alsoRequired, margin };
}

/** One row of the results table. */
export interface BenchResult {
  /** Stable id of the measurement, e.g. `purge-ephemeral`; keys the analysis notes. */
  key: string;
  scenario: string;
  adapter: string;
  /** Absent when the scenario failed; `error` says why. */
  subject?: Series;
  error?: string;
  baseline?: Series;
  /** subject / baseline medians. */
  ratio?: number;
  target?: Target;
  /** Extra facts the row depends on (duplicates, longest batch, row counts). */
  notes: string[];
}

const startedAt = performance.now();

/** Prints a progress line prefixed with the time since the bench started. */
export function progress(message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  console.log(`[${seconds}s] ${message}`);
}

/** Milliseconds since the bench process started. */
export function elapsedMs(): number {
  return performance.now() - startedAt;
}

/** Times one async call in milliseconds. */
export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/** One measured variant: `prepare` is untimed, `run` returns the figure of that iteration. */
export interface Variant {
  label: string;
  prepare?: (warmup: boolean) => Promise<void>;
  run: (warmup: boolean) => Promise<number>;
}

/**
 * Runs `warmup` unrecorded and `iterations` recorded rounds of every variant, interleaved
 * (A B A B …) so drift in the machine or the database hits every variant alike. With a
 * `budgetMs`, recording stops early once the budget is spent and `minIterations` rounds exist.
 */
export async function measureInterleaved(input: {
  name: string;
  warmup: number;
  iterations: number;
  variants: Variant[];
  budgetMs?: number;
  minIterations?: number;
}): Promise<number[][]> {
  const samples = input.variants.map((): number[] => []);
  const started = performance.now();
  const rounds = input.warmup + input.iterations;
  for (let round = 0; round < rounds; round++) {
    const recording = round >= input.warmup;
    for (const [index, variant] of input.variants.entries()) {
      await variant.prepare?.(!recording);
      const value = await variant.run(!recording);
      if (recording) samples[index]!.push(value);
      const tag = recording
        ? `iteration ${round - input.warmup + 1}/${input.iterations}`
        : "warm-up";
      progress(`  ${input.name}: ${variant.label} ${tag}: ${formatNumber(value)}`);
    }
    const recorded = round - input.warmup + 1;
    const spent = performance.now() - started;
    if (
      input.budgetMs !== undefined &&
      spent > input.budgetMs &&
      recorded >= (input.minIterations ?? 3)
    ) {
      progress(`  ${input.name}: time budget spent after ${recorded} iterations`);
      break;
    }
  }
  return samples;
}

/** Builds a series from samples. */
export function series(
  label: string,
  unit: string,
  higherIsBetter: boolean,
  samples: readonly number[],
): Series {
  return { label, unit, higherIsBetter, stats: summarize(samples) };
}

/** A number with at most three significant decimals, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  });
}

/** Waits `ms` milliseconds; only the simulated email provider uses it. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
