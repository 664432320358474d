import { execFileSync } from "node:child_process";
import os from "node:os";
import { ANALYSIS, FIXED_FINDINGS, OUTBOX_ANALYSIS } from "./analysis.ts";
import { type BenchResult, formatNumber, type Series } from "./harness.ts";

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
    out.push(text ?? "Not analysed yet: rerun this scenario alone to investigate.", "");
  }
}

/** The Markdown written to docs/benchmarks.md. */
export function renderMarkdown(input: {
  machine: MachineInfo;
  results: BenchResult[];
  wallMs: number;
  command: string;
}): string {
  const { machine } = input;
  const results = input.results.filter((result) => !isOutboxResult(result));
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    "Written by `pnpm bench` (bench/src/main.ts); do not edit by hand. Every figure is a ratio or",
    "a rate measured within this one run, on this machine; none of them is asserted in tests.",
    "",
  );
  out.push("## Machine", "");
  out.push(`- Date: ${machine.date}`);
  out.push(`- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGiB} GiB`);
  out.push(`- OS: ${machine.os}`);
  out.push(`- Node ${machine.node}`);
  out.push(
    `- 1-minute load average: ${machine.loadAverage.start.toFixed(1)} at start, ${machine.loadAverage.end.toFixed(1)} at end (${machine.cores} cores)`,
  );
  for (const [adapter, version] of Object.entries(machine.versions)) {
    out.push(`- ${adapter}: ${version}`);
  }
  const { commit, uncommitted } = machine.source;
  out.push(
    `- Source: commit ${commit}${uncommitted.length > 0 ? `, plus uncommitted changes to ${uncommitted.map((path) => `\`${path}\``).join(", ")}` : ""}`,
  );
  out.push(`- Command: \`${input.command}\`, wall time ${(input.wallMs / 1000).toFixed(0)} s`, "");

  out.push("## Results", "");
  out.push(
    "| Scenario | Adapter | Measured: median (min–max) | Baseline: median (min–max) | Ratio | Target | Met |",
  );
  out.push("|---|---|---|---|---|---|---|");
  for (const result of results) {
    const measured = result.error
      ? `error: ${result.error}`
      : `${result.subject?.label}: ${formatSeries(result.subject)}`;
    const baseline = result.baseline
      ? `${result.baseline.label}: ${formatSeries(result.baseline)}`
      : "—";
    out.push(
      `| ${cell(result.scenario)} | ${result.adapter} | ${cell(measured)} | ${cell(baseline)} | ${ratioText(result)} | ${cell(result.target?.description ?? "—")} | ${verdict(result)} |`,
    );
  }
  out.push("");
  out.push(
    "Ratios are measured / baseline medians (for the empty sweep: 1M-row / 10k-row time; for",
  );
  out.push("peak RSS: 1M-row / 10k-row memory). Variants are interleaved (A B A B …) after a");
  out.push(
    "warm-up round, so drift in the machine hits both alike. The outbox has its own section.",
  );
  out.push("");
  out.push(...renderOutboxSection(input), "");

  out.push("## Method", "");
  out.push(
    "- Data is generated in bulk, never through the ports: `INSERT … SELECT … FROM generate_series`",
    "  on Postgres, a recursive CTE `INSERT … SELECT` on libSQL, timestamps in each adapter's own",
    "  storage format; loads of 100k rows or more drop the table's secondary indexes (and, on",
    "  Postgres, its key constraints) and rebuild them from the adapter's own definitions.",
    "- Every measured round of a purge or release starts from freshly loaded tables, so no round",
    "  inherits dead rows that VACUUM could not reclaim (another session's open snapshot holds the",
    "  horizon back on a shared server); planner statistics are refreshed before each round.",
    "- Purges and releases call the adapter in a loop until it reports nothing left; the baseline",
    "  is the raw SQL with the same batch size, one statement (one transaction) per batch.",
    "- The empty sweep is `createMikaMaintenanceRunner({ repositories, emailOutboxRunner }).runOnce()`",
    "  with every task wired; tables hold a busy shop's history with nothing due.",
    "- Peak RSS is read by the child itself from `/proc/self/status` (`VmHWM`): on Linux",
    "  `process.resourceUsage().maxRSS` of a child includes the parent's RSS at fork time.",
    "",
  );
  out.push("## Details", "");
  for (const result of results) {
    out.push(`- **${result.scenario}, ${result.adapter}**`);
    for (const note of result.notes) out.push(`  - ${cell(note)}`);
  }
  out.push("");

  out.push("## Analysis of missed targets", "");
  const missed = results.filter((result) => result.error || result.target?.met === false);
  if (missed.length === 0) out.push("Every target was met.", "");
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
    "npx -y pnpm@10.34.9 bench                                          # everything, writes this file",
  );
  out.push(
    "npx -y pnpm@10.34.9 bench -- --adapter postgres --scenario purge   # one scenario, prints only",
  );
  out.push("```", "");
  out.push("Postgres comes from `MIKA_BENCH_POSTGRES_URL` (else `MIKA_TEST_POSTGRES_URL`, else");
  out.push(
    "`postgres://postgres@127.0.0.1:5432/test`); each scenario gets its own schema, dropped",
  );
  out.push("afterwards. libSQL uses a temporary file per scenario, deleted afterwards. Scenarios:");
  out.push("`purge`, `empty-sweep`, `outbox`, `stock`, `account-delete`, `rss`. `--write` makes a");
  out.push("partial run rewrite this file; `--quick` shrinks every data set for a smoke test (its");
  out.push("numbers mean nothing).", "");
  return out.join("\n");
}

/** Outbox results are keyed `outbox-…` and reported in their own section. */
export function isOutboxResult(result: BenchResult): boolean {
  return result.key.startsWith("outbox");
}

const OUTBOX_START = "<!-- outbox section: written by pnpm bench -- --scenario outbox --write -->";
const OUTBOX_END = "<!-- end of outbox section -->";

/**
 * The outbox section: its own machine line (so a partial run can replace it alone), the
 * table, details and the standing analysis.
 */
export function renderOutboxSection(input: {
  machine: MachineInfo;
  results: BenchResult[];
  command: string;
}): string[] {
  const { machine } = input;
  const results = input.results.filter(isOutboxResult);
  const out: string[] = [OUTBOX_START, "## Outbox drain", ""];
  out.push(
    `Measured ${machine.date} at commit ${machine.source.commit} with \`${input.command}\`; 1-minute load`,
    `average ${machine.loadAverage.start.toFixed(1)} at start, ${machine.loadAverage.end.toFixed(1)} at end on ${machine.cores} cores (the load after each drain is in Details).`,
    "Each runner is its own process on its own connection, draining with a simulated provider",
    "that takes 20 ms per send; the ideal is `processes × concurrency / 20 ms` (or the cap).",
    "",
  );
  if (results.length === 0) out.push("Not measured in this run.", "");
  else {
    out.push(
      "| Scenario | Adapter | Measured: median (min–max) | Baseline | Ratio | Target | Met |",
    );
    out.push("|---|---|---|---|---|---|---|");
    for (const result of results) {
      const measured = result.error
        ? `error: ${result.error}`
        : `${result.subject?.label}: ${formatSeries(result.subject)}`;
      const baseline = result.baseline
        ? `${result.baseline.label}: ${formatSeries(result.baseline)}`
        : "—";
      out.push(
        `| ${cell(result.scenario)} | ${result.adapter} | ${cell(measured)} | ${cell(baseline)} | ${ratioText(result)} | ${cell(result.target?.description ?? "—")} | ${verdict(result)} |`,
      );
    }
    out.push("", "Details:", "");
    for (const result of results) {
      out.push(`- **${result.scenario}, ${result.adapter}**`);
      for (const note of result.notes) out.push(`  - ${cell(note)}`);
    }
    out.push("");
  }
  out.push("### Analysis", "");
  for (const paragraph of OUTBOX_ANALYSIS) out.push(paragraph, "");
  out.push(OUTBOX_END);
  return out;
}

/**
 * Replaces the outbox section of an existing report with a new one (a partial
 * `--scenario outbox --write` run), leaving every other scenario's figures as they were.
 * Rows and details of the old outbox scenario (before it had a section) are dropped.
 */
export function spliceOutboxSection(existing: string, section: string[]): string {
  const lines = existing.split("\n");
  const start = lines.indexOf(OUTBOX_START);
  const end = lines.indexOf(OUTBOX_END);
  let kept: string[];
  if (start >= 0 && end > start) {
    kept = [...lines.slice(0, start), ...section, ...lines.slice(end + 1)];
  } else {
    const method = lines.indexOf("## Method");
    const at = method >= 0 ? method : lines.length;
    kept = [...lines.slice(0, at), ...section, "", ...lines.slice(at)];
  }
  const out: string[] = [];
  let inOldDetail = false;
  for (const line of kept) {
    if (line.startsWith("| outbox drain (")) continue;
    if (line.startsWith("- **outbox drain (")) {
      inOldDetail = true;
      continue;
    }
    if (inOldDetail && line.startsWith("  - ")) continue;
    inOldDetail = false;
    out.push(line);
  }
  return out
    .join("\n")
    .replace(
      "peak RSS: 1M-row / 10k-row memory; for the outbox: one runner's total drain time / four\nrunners'). Variants are interleaved (A B A B …) after a warm-up round, so drift in the\nmachine hits both alike.",
      "peak RSS: 1M-row / 10k-row memory). Variants are interleaved (A B A B …) after a\nwarm-up round, so drift in the machine hits both alike. The outbox has its own section.",
    );
}
