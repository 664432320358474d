import type { AdapterName, BenchStore } from "./adapters/store.ts";
import type { BenchResult } from "./harness.ts";

/** The fixed instant every scenario runs at; data is generated around it. */
export const BENCH_NOW = "2026-06-21T10:00:00.000Z";

/** What a scenario gets from the harness. */
export interface ScenarioContext {
  adapter: AdapterName;
  /** 1 for the real run; smaller for a smoke run (`--quick`), which is not a measurement. */
  scale: number;
  /** A fresh, migrated store; the harness closes (and drops) it after the scenario. */
  openStore(): Promise<BenchStore>;
}

/** One benchmark scenario, run once per adapter. */
export interface Scenario {
  key: string;
  title: string;
  run(context: ScenarioContext): Promise<BenchResult[]>;
}

/** `iso` moved by `ms` milliseconds. */
export function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `count` scaled for a smoke run, never below `floor`. */
export function scaled(context: ScenarioContext, count: number, floor = 1): number {
  return Math.max(floor, Math.round(count * context.scale));
}

/**
 * A generated id `<prefix><n>` whose text order follows `expression` (default the row number):
 * every number has eight digits, so rows arrive in key order and index builds stay sequential.
 */
export function sequentialId(prefix: string, expression = "i"): { sql: string } {
  return { sql: `'${prefix}' || (10000000 + ${expression})` };
}
