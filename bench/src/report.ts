import { execFileSync } from "node:child_process";
import os from "node:os";
import { ANALYSIS, FIXED_FINDINGS, OUTBOX_ANALYSIS } from "./analysis.ts";
import { type BenchResult, formatNumber, type Series } from "./harness.ts";
import type { RunInfo, StoredResult } from "./stored-results.ts";

/** The machine and software a run measured. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** The commit measured, and the package files that differed from it. */
  source: { commit: string; uncommitted: string[] };
  /** 1-minute load average when the run started and when it ended (other work on the box). */
  loadAverage: { start: number; end: number };
  /** Engine and driver versions by adapter, e.g. `PostgreSQL 15.20, pg 8.23.1`. */
  versions: Record<string, string>;
}

/** Describes the machine this process runs on. */
export function describeMachine(
  versions: Record<string, string>,
  loadAtStart: number,
  source: MachineInfo["source"],
): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
    source,
    versions,
  };
}

/** The checked-out commit and the package files that differ from it (read at start). */
export function describeSource(): MachineInfo["source"] {
  const git = (...args: string[]) =>
    execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trimEnd();
  try {
    const changed = git("status", "--porcelain", "--", ":(top)packages");
    return {
      commit: git("rev-parse", "--short", "HEAD").trim(),
      uncommitted: changed ? changed.split("\n").map((line) => line.slice(3)) : [],
    };
  } catch {
    return { commit: "unknown (no git)", uncommitted: [] };
  }
}

function formatSeries(value: Series | undefined): string {
  if (!value) return "—";
  const { median, min, max, n } = value.stats;
  const spread = n > 1 ? ` (${formatNumber(min)}–${formatNumber(max)}, n=${n})` : " (n=1)";
  return `${formatNumber(median)} ${value.unit}${spread}`;
}

function verdict(result: BenchResult): string {
  if (result.error) return "❌ error";
  if (!result.target) return "—";
  return result.target.met ? "✅" : "❌";
}

function ratioText(result: BenchResult): string {
  const ratio = result.ratio;
  if (ratio === undefined || !Number.isFinite(ratio) || ratio <= 0) return "—";
  // Three significant digits, rounded toward "worse", so a 0.7996 never reads as a met 0.800.
  const scale = 10 ** (2 - Math.floor(Math.log10(ratio)));
  const towardWorse = result.subject?.higherIsBetter === false ? Math.ceil : Math.floor;
  return `${(towardWorse(ratio * scale) / scale).toPrecision(3)}×`;
}

/** A plain-text summary for the terminal. */
export function renderConsoleSummary(results: BenchResult[]): string {
  const lines = results.map((result) => {
    const head = `${verdict(result).padEnd(8)} ${result.adapter.padEnd(9)} ${result.scenario}`;
    if (result.error) return `${head}\n           error: ${result.error}`;
    return [
      head,
      `           ${result.subject?.label}: ${formatSeries(result.subject)}`,
      result.baseline
        ? `           ${result.baseline.label}: ${formatSeries(result.baseline)}`
        : "",
      `           ratio ${ratioText(result)}; target ${result.target?.description ?? "none"}`,
      ...result.notes.map((note) => `           · ${note}`),
    ]
      .filter(Boolean)
      .join("\n");
  });
  return lines.join("\n");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** Results met with less than this relative margin get their analysis printed as well. */
const NEAR_MARGIN = 0.05;

function pushAnalyses(out: string[], results: BenchResult[]): void {
  const explained = new Set<string>();
  for (const result of results) {
    const id = `${result.key}/${result.adapter}`;
    if (explained.has(id)) continue;
    explained.add(id);
    out.push(`### ${result.scenario}, ${result.adapter}`, "");
    const text = ANALYSIS[result.key]?.[result.adapter] ?? ANALYSIS[result.key]?.any;
    out.push(
      text ??
        "**Measured cause:** not analysed yet. Rerun this scenario alone (`--scenario <key> --adapter <name>`), find the cause with a measurement (EXPLAIN ANALYZE, driver counts, a profile) and record it in `bench/src/analysis.ts` under this result's key.",
      "",
    );
  }
}

/** One (scenario, adapter) pair the report has a place for, measured or not. */
export interface ReportSlot {
  scenarioKey: string;
  title: string;
  adapter: string;
}

/** How a run is named in the report: its date, commit and command. */
function runLabel(run: RunInfo): string {
  const dirty = run.uncommitted.length > 0 ? " plus uncommitted changes" : "";
  return `${run.date} at commit ${run.commit}${dirty}, \`${run.command}\`, 1-minute load average ${run.loadAverage.start.toFixed(1)} at start and ${run.loadAverage.end.toFixed(1)} at end on ${run.cores} cores`;
}

function sameRun(a: RunInfo, b: RunInfo): boolean {
  return a.date === b.date && a.command === b.command;
}

/**
 * The whole of docs/benchmarks.md, rewritten by every `--write` run: each (scenario, adapter)
 * pair shows its latest stored result, whichever run measured it (named in Details), and a
 * pair never measured says so. `peers` is the peers section as last written, if any.
 */
export function renderMarkdown(input: {
  machine: MachineInfo;
  results: StoredResult[];
  slots: ReportSlot[];
  wallMs: number;
  command: string;
  peers: string[] | undefined;
}): string {
  const { machine } = input;
  const inSlot = (slot: ReportSlot) => (result: StoredResult) =>
    result.scenarioKey === slot.scenarioKey && result.adapter === slot.adapter;
  // Results of a scenario that no longer exists (merged or removed) are not shown.
  const shown = input.results.filter((result) => input.slots.some((slot) => inSlot(slot)(result)));
  const results = shown.filter((result) => !isOutboxResult(result));
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    "Written by `pnpm bench` (bench/src/main.ts) from the stored results in",
    "`bench/results.json`; do not edit by hand. Every `--write` run replaces the results of the",
    "scenarios it ran and rewrites this whole file; every other row keeps the figures of the run",
    "that measured it (named in Details). Each figure is a ratio or a rate measured within one run,",
    "on this machine; none of them is asserted in tests.",
    "",
  );
  out.push("## Machine", "");
  out.push(`- Written: ${machine.date}`);
  out.push(`- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGiB} GiB`);
  out.push(`- OS: ${machine.os}`);
  out.push(`- Node ${machine.node}`);
  for (const [adapter, version] of Object.entries(machine.versions)) {
    out.push(`- ${adapter}: ${version}`);
  }
  out.push(
    `- Last run: \`${input.command}\`, wall time ${(input.wallMs / 1000).toFixed(0)} s, 1-minute load average ${machine.loadAverage.start.toFixed(1)} at start and ${machine.loadAverage.end.toFixed(1)} at end (${machine.cores} cores)`,
  );
  const runs: RunInfo[] = [];
  for (const result of shown) {
    if (!runs.some((run) => sameRun(run, result.run))) runs.push(result.run);
  }
  out.push("- Runs whose results are shown:");
  for (const run of runs) out.push(`  - ${runLabel(run)}`);
  out.push("");

  out.push("## Results", "");
  out.push(
    "| Scenario | Adapter | Measured: median (min–max) | Baseline: median (min–max) | Ratio | Target | Met |",
  );
  out.push("|---|---|---|---|---|---|---|");
  for (const slot of input.slots) {
    const measured = shown.filter(inSlot(slot));
    if (measured.length > 0) {
      for (const result of measured.filter((result) => !isOutboxResult(result))) {
        out.push(resultRow(result));
      }
    } else if (!slot.scenarioKey.startsWith("outbox")) {
      out.push(
        `| ${cell(slot.title)} | ${slot.adapter} | not measured yet: \`pnpm bench -- --scenario ${slot.scenarioKey} --adapter ${slot.adapter} --write\` | — | — | — | not measured |`,
      );
    }
  }
  out.push("");
  out.push(
    "Ratios are measured / baseline medians (for the empty sweeps: 1M-row / 10k-row time; for",
    "peak RSS: 1M-row / 10k-row memory). Variants are interleaved (A B A B …) after a warm-up",
    "round, so drift in the machine hits both alike. Met: ✅ target met, ❌ missed (its measured",
    "cause is under **Analysis of missed targets**), — no target. The outbox and the peers have",
    "their own sections.",
    "",
  );
  out.push(...renderOutboxSection(shown), "");
  out.push(...(input.peers ?? [PEERS_NOT_MEASURED]), "");

  out.push("## Method", "");
  out.push(
    "- Data is generated in bulk, never through the ports: `INSERT … SELECT … FROM generate_series`",
    "  on Postgres, a recursive CTE `INSERT … SELECT` on libSQL, timestamps in each adapter's own",
    "  storage format; loads of 100k rows or more drop the table's secondary indexes (and, on",
    "  Postgres, its key constraints) and rebuild them from the adapter's own definitions.",
    "- Every measured round of a purge or release starts from freshly loaded tables, so no round",
    "  inherits dead rows that VACUUM could not reclaim (another session's open snapshot holds the",
    "  horizon back on a shared server); planner statistics are refreshed before each round.",
    "- Purges call the adapter in a loop until it reports nothing left, against the best bounded",
    "  raw form (a server-side loop on Postgres, a rowid loop on libSQL, batches picked by physical",
    "  row id) and one unbounded statement; the stock release against one raw statement per batch",
    "  that keeps the ordered item locks.",
    "- Round trips and commits are counted on the driver (`bench/src/adapters/driver-meter.ts`):",
    "  each pg query or libSQL call is a round trip; a commit is a write transaction committed",
    "  (a COMMIT after a write, or a write outside a transaction); reads commit nothing.",
    "- The empty sweeps are `createMikaMaintenanceRunner({ repositories, emailOutboxRunner, api }).runOnce()`",
    "  with every task wired, with the adapter's store (the due-work probe) and without it; tables",
    "  hold a busy shop's history with nothing due.",
    "- Peak RSS is read by the child itself from `/proc/self/status` (`VmHWM`): on Linux",
    "  `process.resourceUsage().maxRSS` of a child includes the parent's RSS at fork time.",
    "",
  );
  out.push("## Details", "");
  for (const result of results) {
    out.push(`- **${result.scenario}, ${result.adapter}**`);
    for (const note of result.notes) out.push(`  - ${cell(note)}`);
    out.push(`  - measured ${runLabel(result.run)}`);
  }
  out.push("");

  out.push("## Analysis of missed targets", "");
  const missed = results.filter((result) => result.error || result.target?.met === false);
  if (missed.length === 0) out.push("Every measured target was met.", "");
  pushAnalyses(out, missed);
  const close = results.filter(
    (result) => result.target?.met && (result.target.margin ?? 1) < NEAR_MARGIN,
  );
  if (close.length > 0) {
    out.push("## Close to target", "");
    out.push(
      `Met with less than ${NEAR_MARGIN * 100}% to spare, so a busier machine may miss them:`,
      "",
    );
    pushAnalyses(out, close);
  }
  out.push("## Fixed after earlier runs of this bench", "");
  for (const finding of FIXED_FINDINGS) out.push(`- ${finding}`);
  out.push("");

  out.push("## How to reproduce", "");
  out.push("```sh");
  out.push("npx -y pnpm@10.34.9 install");
  out.push(
    "npx -y pnpm@10.34.9 bench                                                  # everything (peers included), rewrites this file",
    "npx -y pnpm@10.34.9 bench -- --adapter postgres --scenario stock --write  # one scenario; the rest of this file stays as measured",
    "npx -y pnpm@10.34.9 bench -- --adapter postgres --scenario purge          # prints only",
    "npx -y pnpm@10.34.9 bench -- --only peers                                 # mika vs graphile-worker vs pg-boss, rewrites the Peers section",
    "npx -y pnpm@10.34.9 bench -- --quick --out /tmp/benchmarks.md             # smoke test of every scenario and of the report",
  );
  out.push("```", "");
  out.push(
    "Postgres comes from `MIKA_BENCH_POSTGRES_URL` (else `MIKA_TEST_POSTGRES_URL`, else",
    "`postgres://postgres@127.0.0.1:5432/test`); each scenario gets its own schema, dropped",
    "afterwards. libSQL uses a temporary file per scenario, deleted afterwards. Scenarios:",
    `${input.slots
      .map((slot) => slot.scenarioKey)
      .filter((key, index, keys) => keys.indexOf(key) === index)
      .map((key) => `\`${key}\``)
      .join(", ")} (\`idle-probe\` is accepted for \`empty-sweep\`). \`--write\` stores a partial`,
    "run's results and rewrites this file; `--quick` (every data set at 2%) and `--scale <0–1>`",
    "shrink the data for a check whose numbers mean nothing, so they never write here; `--out",
    "<file>` renders the report to another file from the stored results plus this run's.",
    "",
  );
  return out.join("\n");
}

const PEERS_NOT_MEASURED = [
  "## Peers: mika vs graphile-worker vs pg-boss",
  "",
  "Not measured yet: `pnpm bench -- --only peers`.",
].join("\n");

function resultRow(result: BenchResult): string {
  const measured = result.error
    ? `error: ${result.error}`
    : `${result.subject?.label}: ${formatSeries(result.subject)}`;
  const baseline = result.baseline
    ? `${result.baseline.label}: ${formatSeries(result.baseline)}`
    : "—";
  return `| ${cell(result.scenario)} | ${result.adapter} | ${cell(measured)} | ${cell(baseline)} | ${ratioText(result)} | ${cell(result.target?.description ?? "—")} | ${verdict(result)} |`;
}

/** Outbox results are keyed `outbox-…` and reported in their own section. */
export function isOutboxResult(result: BenchResult): boolean {
  return result.key.startsWith("outbox");
}

const OUTBOX_START = "<!-- outbox section: written by pnpm bench -- --scenario outbox --write -->";
const OUTBOX_END = "<!-- end of outbox section -->";

/** The outbox section: the run it came from, the table, details and the standing analysis. */
export function renderOutboxSection(all: StoredResult[]): string[] {
  const results = all.filter(isOutboxResult);
  const out: string[] = [OUTBOX_START, "## Outbox drain", ""];
  const run = results[0]?.run;
  out.push(
    run ? `Measured ${runLabel(run)} (the load after each drain is in Details).` : "",
    "Each runner is its own process on its own connection, draining with a simulated provider",
    "that takes 20 ms per send; the ideal is `processes × concurrency / 20 ms` (or the cap).",
    "",
  );
  if (results.length === 0) {
    out.push("Not measured yet: `pnpm bench -- --scenario outbox --write`.", "");
  } else {
    out.push(
      "| Scenario | Adapter | Measured: median (min–max) | Baseline | Ratio | Target | Met |",
    );
    out.push("|---|---|---|---|---|---|---|");
    for (const result of results) out.push(resultRow(result));
    out.push("", "Details:", "");
    for (const result of results) {
      out.push(`- **${result.scenario}, ${result.adapter}**`);
      for (const note of result.notes) out.push(`  - ${cell(note)}`);
      if (run && !sameRun(run, result.run)) out.push(`  - measured ${runLabel(result.run)}`);
    }
    out.push("");
  }
  out.push("### Analysis", "");
  for (const paragraph of OUTBOX_ANALYSIS) out.push(paragraph, "");
  out.push(OUTBOX_END);
  return out;
}
