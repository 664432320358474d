import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openLibsqlStore } from "./adapters/libsql.ts";
import { openPostgresStore } from "./adapters/postgres.ts";
import { ADAPTER_NAMES, type AdapterName, type BenchStore } from "./adapters/store.ts";
import { type BenchResult, elapsedMs, progress } from "./harness.ts";
import { PEERS_ANALYSIS } from "./peers/peer-analysis.ts";
import { renderPeersSection, splicePeersSection } from "./peers/peer-report.ts";
import { type PeersReport, runPeerScenarios } from "./peers/peer-scenarios.ts";
import {
  describeMachine,
  describeSource,
  renderConsoleSummary,
  renderMarkdown,
  renderOutboxSection,
  spliceOutboxSection,
} from "./report.ts";
import type { Scenario } from "./scenario.ts";
import { accountDeleteScenario } from "./scenarios/account-delete.ts";
import { emptySweepScenario } from "./scenarios/empty-sweep.ts";
import { erasurePathsScenario } from "./scenarios/erasure-paths.ts";
import { idleProbeScenario } from "./scenarios/idle-probe.ts";
import { outboxDrainScenario } from "./scenarios/outbox-drain.ts";
import { peakRssScenario } from "./scenarios/peak-rss.ts";
import { purgeScenario } from "./scenarios/purge.ts";
import { stockReleaseScenario } from "./scenarios/stock-release.ts";

const SCENARIOS: Scenario[] = [
  purgeScenario,
  emptySweepScenario,
  outboxDrainScenario,
  stockReleaseScenario,
  accountDeleteScenario,
  peakRssScenario,
  idleProbeScenario,
  erasurePathsScenario,
];
const OPENERS: Record<AdapterName, () => Promise<BenchStore>> = {
  postgres: openPostgresStore,
  libsql: openLibsqlStore,
};
const REPORT = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));

// `pnpm bench -- --adapter x` forwards the `--` separator itself; it is not a terminator here.
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    adapter: { type: "string", multiple: true },
    scenario: { type: "string", multiple: true },
    write: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(
    `Usage: pnpm bench [-- --adapter ${ADAPTER_NAMES.join("|")}] [--scenario ${SCENARIOS.map((s) => s.key).join("|")}] [--write] [--quick] [--only peers]`,
  );
  process.exit(0);
}

if (values.only !== undefined && values.only !== "peers") {
  console.error(`--only must be "peers"; got "${values.only}".`);
  process.exit(2);
}
const onlyPeers = values.only === "peers";
const adapters = pick("adapter", values.adapter, ADAPTER_NAMES);
const scenarios = pick(
  "scenario",
  values.scenario,
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
const versions: Record<string, string> = {};
for (const adapter of onlyPeers ? [] : adapters) {
  for (const scenario of scenarios) {
    progress(`${adapter} · ${scenario.title}`);
    const started = elapsedMs();
    try {
      const produced = await scenario.run({
        adapter,
        scale: values.quick ? 0.02 : 1,
        openStore: async () => {
          const store = await OPENERS[adapter]();
          openStores.add(store);
          versions[adapter] ??= await store.version();
          return store;
        },
      });
      results.push(...produced);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress(`${adapter} · ${scenario.key} failed: ${message}`);
      if (error instanceof Error && error.stack) console.error(error.stack);
      results.push({
        key: scenario.key,
        scenario: scenario.title,
        adapter,
        error: message,
        notes: [],
      });
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
    peers = await runPeerScenarios({ scale: values.quick ? 0.02 : 1 });
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
if ((fullRun || onlyPeers || values.write) && !values.quick) {
  const command = `pnpm bench${
    process.argv.length > 2
      ? ` -- ${process.argv
          .slice(2)
          .filter((a) => a !== "--")
          .join(" ")}`
      : ""
  }`;
  const machine = describeMachine(versions, loadAtStart, source);
  const outboxOnly = scenarios.every((scenario) => scenario.key === outboxDrainScenario.key);
  // A partial outbox run replaces only its own section; every other figure stays as measured.
  const markdown =
    !fullRun && outboxOnly
      ? spliceOutboxSection(
          await readFile(REPORT, "utf8"),
          renderOutboxSection({ machine, results, command }),
        )
      : renderMarkdown({ machine, results, wallMs, command });
  const withPeers = peers
    ? splicePeersSection(
        onlyPeers ? await readFile(REPORT, "utf8") : markdown,
        renderPeersSection(
          peers,
          { commit: source.commit, command, cores: os.availableParallelism() },
          PEERS_ANALYSIS,
        ),
      )
    : markdown;
  await writeFile(REPORT, withPeers);
  progress(`wrote ${REPORT}`);
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
