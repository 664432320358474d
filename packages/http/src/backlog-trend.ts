/** Which way a backlog is heading, from the samples this process has seen. */
export interface MikaBacklogTrend {
  direction: "rising" | "falling" | "steady" | "unknown";
  /** Count now minus the count `sinceMs` ago. */
  delta: number;
  sinceMs: number;
  /** Up to 48 recent counts, oldest first, for a small chart. */
  samples: number[];
}

interface Sample {
  at: number;
  count: number;
}

/**
 * Remembers backlog counts in this process (one sample a minute at most, for 24 h) so the
 * page can say whether a backlog grows. A new process starts with no trend.
 */
export function createBacklogTrends(options: { sampleEveryMs?: number; windowMs?: number } = {}) {
  const sampleEveryMs = options.sampleEveryMs ?? 60_000;
  const windowMs = options.windowMs ?? 24 * 3_600_000;
  const compareOverMs = 60 * 60_000;
  const series = new Map<string, Sample[]>();

  return {
    /** Records `count` for `key` at `at` and returns the trend including it. */
    observe(key: string, count: number, at: number): MikaBacklogTrend {
      const samples = series.get(key) ?? [];
      series.set(key, samples);
      const latest = samples.at(-1);
      if (!latest || at - latest.at >= sampleEveryMs) samples.push({ at, count });
      else latest.count = count;
      while (samples.length > 0 && at - samples[0]!.at > windowMs) samples.shift();

      const reference =
        samples.find((sample) => at - sample.at <= compareOverMs && sample.at < at) ?? null;
      const recent = samples.slice(-48).map((sample) => sample.count);
      if (!reference || samples.length < 2) {
        return { direction: "unknown", delta: 0, sinceMs: 0, samples: recent };
      }
      const delta = count - reference.count;
      return {
        direction: delta > 0 ? "rising" : delta < 0 ? "falling" : "steady",
        delta,
        sinceMs: at - reference.at,
        samples: recent,
      };
    },
  };
}
