import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, progress, series, targetOn } from "../harness.ts";
import type { RssChildInput, RssChildOutput } from "../rss-child.ts";
import { BENCH_NOW, HOUR, type Scenario, scaled, sequentialId, shift } from "../scenario.ts";

const LIMIT = 1000;
const CHILD = fileURLToPath(new URL("../rss-child.ts", import.meta.url));

/** Peak memory of a process purging 1M expired rows vs 10k: memory must not grow with rows. */
export const peakRssScenario: Scenario = {
  key: "rss",
  title: "Peak RSS purging 1M rows vs 10k rows",
  async run(context) {
    const smallRows = scaled(context, 10_000, 1000);
    const largeRows = scaled(context, 1_000_000, 10_000);
    const store = await context.openStore();
    const small: RssChildOutput[] = [];
    const large: RssChildOutput[] = [];
    let round = 0;
    const purgeInChild = async (rows: number, into: RssChildOutput[]) => {
      round += 1;
      progress(`  loading ${rows.toLocaleString("en-US")} expired rows`);
      await store.clear(["ephemeral_records"]);
      await loadExpired(store, `rss${round}`, rows);
      await store.maintain(["ephemeral_records"]);
      const output = await runChild({ target: store.target, now: BENCH_NOW, limit: LIMIT });
      if (output.purged !== rows) throw new Error(`child purged ${output.purged} of ${rows} rows`);
      progress(
        `  child purged ${rows.toLocaleString("en-US")} rows in ${(output.ms / 1000).toFixed(1)} s, max RSS ${(output.maxRssKb / 1024).toFixed(1)} MiB`,
      );
      into.push(output);
    };
    const idle = await runChild({ target: store.target, now: BENCH_NOW, limit: LIMIT });
    progress(`  idle child (nothing to purge): ${(idle.maxRssKb / 1024).toFixed(1)} MiB`);
    for (let n = 0; n < 3; n++) await purgeInChild(smallRows, small);
    await purgeInChild(largeRows, large);
    const mib = (outputs: RssChildOutput[]) => outputs.map((output) => output.maxRssKb / 1024);
    const subject = series(
      `${largeRows.toLocaleString("en-US")} rows`,
      "MiB max RSS",
      false,
      mib(large),
    );
    const baseline = series(
      `${smallRows.toLocaleString("en-US")} rows`,
      "MiB max RSS",
      false,
      mib(small),
    );
    const ratio = subject.stats.median / baseline.stats.median;
    const largeRate = largeRows / (large[0]!.ms / 1000);
    const result: BenchResult = {
      key: "rss",
      scenario: `peak RSS of a purge process (${largeRows.toLocaleString("en-US")} vs ${smallRows.toLocaleString("en-US")} expired rows)`,
      adapter: context.adapter,
      subject,
      baseline,
      ratio,
      target: targetOn(ratio, "≤", 1.5, "≤ 1.5× (memory flat as rows grow)"),
      notes: [
        `each purge in its own child process, batch ${LIMIT}; a child that only opens the adapter peaks at ${mib([idle])[0]!.toFixed(1)} MiB`,
        `peak RSS is the child's own VmHWM: its process.resourceUsage().maxRSS (${mib(large.map((output) => ({ ...output, maxRssKb: output.resourceUsageMaxRssKb })))[0]!.toFixed(1)} MiB for the large run) also counts the parent's RSS at fork time on Linux`,
        `${largeRows.toLocaleString("en-US")}-row purge ran at ${Math.round(largeRate).toLocaleString("en-US")} rows/s`,
      ],
    };
    return [result];
  },
};

function loadExpired(store: BenchStore, prefix: string, count: number): Promise<void> {
  return store.insertSeries({
    table: "ephemeral_records",
    count,
    columns: {
      kind: { sql: "CASE i % 2 WHEN 0 THEN 'nonce' ELSE 'rate_limit' END" },
      key: sequentialId(`${prefix}-`),
      subject_hash: null,
      value: { sql: "'v' || i" },
      expires_at: { at: shift(BENCH_NOW, -HOUR), stepMs: -1 },
      created_at: { at: shift(BENCH_NOW, -2 * HOUR) },
    },
  });
}

function runChild(input: RssChildInput): Promise<RssChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, JSON.stringify(input)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`rss child exited with ${code}: ${stdout}`));
      try {
        resolve(JSON.parse(last) as RssChildOutput);
      } catch {
        reject(new Error(`rss child printed no result: ${stdout}`));
      }
    });
  });
}
