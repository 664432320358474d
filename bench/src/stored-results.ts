import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { BenchResult } from "./harness.ts";

/** The run a stored result came from, printed beside it in the report. */
export interface RunInfo {
  date: string;
  commit: string;
  /** Package files that differed from the commit when the run started. */
  uncommitted: string[];
  command: string;
  /** 1-minute load average at the start and end of that run. */
  loadAverage: { start: number; end: number };
  cores: number;
}

/** One result as stored: which scenario produced it, and in which run. */
export interface StoredResult extends BenchResult {
  /** The `Scenario.key` that produced it (a scenario may produce several results). */
  scenarioKey: string;
  run: RunInfo;
}

/** Every result the report shows, by scenario and adapter, each from its latest run. */
export interface StoredResults {
  version: 1;
  results: StoredResult[];
  /** Engine and driver versions by adapter, as last seen. */
  versions: Record<string, string>;
}

/** Reads the stored results; an absent file is an empty store. */
export async function readStoredResults(file: string): Promise<StoredResults> {
  if (!existsSync(file)) return { version: 1, results: [], versions: {} };
  const parsed = JSON.parse(await readFile(file, "utf8")) as StoredResults;
  if (parsed.version !== 1 || !Array.isArray(parsed.results)) {
    throw new Error(`${file} is not a version-1 results file; delete it and run the full bench.`);
  }
  return parsed;
}

/**
 * The stored results with this run's scenarios replaced: every stored result of a (scenario,
 * adapter) pair this run measured goes (even one this run no longer produces), this run's
 * results come in. Pairs this run did not measure keep their figures and their own run info.
 */
export function mergeResults(
  stored: StoredResults,
  measured: { scenarioKey: string; adapter: string }[],
  fresh: StoredResult[],
  versions: Record<string, string>,
): StoredResults {
  const replaced = new Set(measured.map((pair) => `${pair.scenarioKey}/${pair.adapter}`));
  const kept = stored.results.filter(
    (result) => !replaced.has(`${result.scenarioKey}/${result.adapter}`),
  );
  return {
    version: 1,
    results: [...kept, ...fresh],
    versions: { ...stored.versions, ...versions },
  };
}

export async function writeStoredResults(file: string, results: StoredResults): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
