import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openLibsqlStore } from "./adapters/libsql.ts";
import { openPostgresStore } from "./adapters/postgres.ts";
import { ADAPTER_NAMES, type AdapterName, type BenchStore } from "./adapters/store.ts";
import { type BenchResult, elapsedMs, progress } from "./harness.ts";
import { PEERS_ANALYSIS } from "./peers/peer-analysis.ts";
import { extractPeersSection, renderPeersSection } from "./peers/peer-report.ts";
import { type PeersReport, runPeerScenarios } from "./peers/peer-scenarios.ts";
import { describeMachine, describeSource, renderConsoleSummary, renderMarkdown } from "./report.ts";
import type { Scenario } from "./scenario.ts";
import { accountDeleteScenario } from "./scenarios/account-delete.ts";
import { emptySweepScenario } from "./scenarios/empty-sweep.ts";
import { erasurePathsScenario } from "./scenarios/erasure-paths.ts";
import { outboxDrainScenario } from "./scenarios/outbox-drain.ts";
import { peakRssScenario } from "./scenarios/peak-rss.ts";
import { purgeScenario } from "./scenarios/purge.ts";
import { stockReleaseScenario } from "./scenarios/stock-release.ts";
import {
  mergeResults,
  type RunInfo,
  readStoredResults,
  type StoredResult,
  writeStoredResults,
} from "./stored-results.ts";

const SCENARIOS: Scenario[] = [
  purgeScenario,
  emptySweepScenario,
  outboxDrainScenario,
  stockReleaseScenario,
  accountDeleteScenario,
  peakRssScenario,
  erasurePathsScenario,
];
const OPENERS: Record<AdapterName, () => Promise<BenchStore>> = {
  postgres: openPostgresStore,
  libsql: openLibsqlStore,
};
const REPORT = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));
/** Every result the report shows, each from the latest run that measured it. */
const RESULTS = fileURLToPath(new URL("../results.json", import.meta.url));

// `pnpm bench -- --adapter x` forwards the `--` separator itself; it is not a terminator here.
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    adapter: { type: "string", multiple: true },
    scenario: { type: "string", multiple: true },
    write: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    scale: { type: "string" },
    only: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(
    `Usage: pnpm bench [-- --adapter ${ADAPTER_NAMES.join("|")}] [--scenario ${SCENARIOS.map((s) => s.key).join("|")}] [--write] [--quick | --scale <0–1>] [--out <file>] [--only peers]`,
  );
  process.exit(0);
}

if (values.only !== undefined && values.only !== "peers") {
  console.error(`--only must be "peers"; got "${values.only}".`);
  process.exit(2);
}
const onlyPeers = values.only === "peers";
/** `--quick` is a smoke test at 0.02; `--scale` sizes every data set for a quicker check. */
const scale = values.quick ? 0.02 : values.scale === undefined ? 1 : Number(values.scale);
if (!(scale > 0 && scale <= 1)) {
  console.error(`--scale must be a number in (0, 1]; got "${values.scale}".`);
  process.exit(2);
}
const adapters = pick("adapter", values.adapter, ADAPTER_NAMES);
/** Scenario keys that were merged into another scenario, still accepted on the command line. */
const SCENARIO_ALIASES: Record<string, string> = { "idle-probe": "empty-sweep" };
const scenarios = pick(
  "scenario",
  values.scenario?.map((key) => SCENARIO_ALIASES[key] ?? key),
  SCENARIOS.map((scenario) => scenario.key),
).map((key) => SCENARIOS.find((scenario) => scenario.key === key)!);
const fullRun =
  !onlyPeers && adapters.length === ADAPTER_NAMES.length && scenarios.length === SCENARIOS.length;

const loadAtStart = os.loadavg()[0] ?? 0;
const source = describeSource();
const openStores = new Set<BenchStore>();
process.once("SIGINT", () => {
  progress("interrupted: dropping bench schemas and files");
  void closeAll().finally(() => process.exit(130));
});

const results: BenchResult[] = [];
/** This run's results with the scenario that produced each. */
const produced: { scenarioKey: string; result: BenchResult }[] = [];
const versions: Record<string, string> = {};
for (const adapter of onlyPeers ? [] : adapters) {
  for (const scenario of scenarios) {
    progress(`${adapter} · ${scenario.title}`);
    const started = elapsedMs();
    try {
      const output = await scenario.run({
        adapter,
        scale,
        openStore: async () => {
          const store = await OPENERS[adapter]();
          openStores.add(store);
          versions[adapter] ??= await store.version();
          return store;
        },
      });
      results.push(...output);
      produced.push(...output.map((result) => ({ scenarioKey: scenario.key, result })));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress(`${adapter} · ${scenario.key} failed: ${message}`);
      if (error instanceof Error && error.stack) console.error(error.stack);
      const failed: BenchResult = {
        key: scenario.key,
        scenario: scenario.title,
        adapter,
        error: message,
        notes: [],
      };
      results.push(failed);
      produced.push({ scenarioKey: scenario.key, result: failed });
    } finally {
      await closeAll();
    }
    progress(
      `${adapter} · ${scenario.key} done in ${((elapsedMs() - started) / 1000).toFixed(1)} s`,
    );
  }
}

// The peers run after the adapters (a full run) or alone (`--only peers`), on Postgres.
let peers: PeersReport | undefined;
if (fullRun || onlyPeers) {
  progress("peers · mika vs graphile-worker vs pg-boss");
  try {
    peers = await runPeerScenarios({ scale });
  } catch (error) {
    progress(
      `peers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  }
}

console.log(`\n${renderConsoleSummary(results)}\n`);
const wallMs = elapsedMs();
progress(`total wall time ${(wallMs / 1000).toFixed(1)} s`);
const shrunk = scale < 1;
if (shrunk && values.out === undefined && (fullRun || onlyPeers || values.write)) {
  progress("docs/benchmarks.md not written: a shrunk run measures nothing (use --out <file>)");
}
if (values.out !== undefined || ((fullRun || onlyPeers || values.write) && !shrunk)) {
  const command = `pnpm bench${
    process.argv.length > 2
      ? ` -- ${process.argv
          .slice(2)
          .filter((a) => a !== "--")
          .join(" ")}`
      : ""
  }`;
  const machine = describeMachine(versions, loadAtStart, source);
  const run: RunInfo = {
    date: machine.date,
    commit: source.commit,
    uncommitted: source.uncommitted,
    command,
    loadAverage: machine.loadAverage,
    cores: machine.cores,
  };
  // Every scenario/adapter pair this run measured replaces its stored results, errors included.
  const stored = mergeResults(
    await readStoredResults(RESULTS),
    onlyPeers
      ? []
      : adapters.flatMap((adapter) =>
          scenarios.map((scenario) => ({ scenarioKey: scenario.key, adapter })),
        ),
    produced.map(({ scenarioKey, result }) => ({ ...result, scenarioKey, run })),
    versions,
  );
  const existing = existsSync(REPORT) ? await readFile(REPORT, "utf8") : "";
  const peersSection = peers
    ? renderPeersSection(
        peers,
        { commit: source.commit, command, cores: os.availableParallelism() },
        PEERS_ANALYSIS,
      )
    : extractPeersSection(existing);
  const markdown = renderMarkdown({
    machine: { ...machine, versions: stored.versions },
    results: inReportOrder(stored.results),
    slots: ADAPTER_NAMES.flatMap((adapter) =>
      SCENARIOS.map((scenario) => ({ scenarioKey: scenario.key, title: scenario.title, adapter })),
    ),
    wallMs,
    command,
    peers: peersSection,
  });
  const out = values.out ?? REPORT;
  await writeFile(out, markdown);
  if (values.out === undefined) await writeStoredResults(RESULTS, stored);
  progress(`wrote ${out}${values.out === undefined ? ` and ${RESULTS}` : ""}`);
}
if (results.some((result) => result.error)) process.exitCode = 1;

async function closeAll(): Promise<void> {
  for (const store of openStores) {
    openStores.delete(store);
    await store.close().catch((error: unknown) => {
      console.error(`could not clean up a ${store.name} store:`, error);
    });
  }
}

function pick<T extends string>(
  flag: string,
  given: string[] | undefined,
  known: readonly T[],
): T[] {
  if (!given || given.length === 0) return [...known];
  for (const value of given) {
    if (!known.includes(value as T)) {
      console.error(`--${flag} must be one of ${known.join(", ")}; got "${value}".`);
      process.exit(2);
    }
  }
  return known.filter((value) => given.includes(value));
}

/** Stored results in the order of `ADAPTER_NAMES`, then `SCENARIOS`, then as produced. */
function inReportOrder(stored: StoredResult[]): StoredResult[] {
  const rank = (result: StoredResult) =>
    ADAPTER_NAMES.indexOf(result.adapter as AdapterName) * SCENARIOS.length +
    SCENARIOS.findIndex((scenario) => scenario.key === result.scenarioKey);
  return stored
    .map((result, index) => ({ result, index }))
    .sort((a, b) => rank(a.result) - rank(b.result) || a.index - b.index)
    .map(({ result }) => result);
}
