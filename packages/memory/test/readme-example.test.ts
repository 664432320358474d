import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));

describe("README", () => {
  it("starts with a five-line example that runs", async () => {
    const readme = await readFile(join(packageRoot, "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    // Five lines of code; the blank line between imports and code does not count.
    expect(example.split("\n").filter((line) => line.trim() !== "")).toHaveLength(5);
    const source = example
      .replace(
        '"@mika-maintenance/core"',
        JSON.stringify(join(packageRoot, "../core/src/index.ts")),
      )
      .replace('"@mika-maintenance/memory"', JSON.stringify(join(packageRoot, "src/index.ts")));
    const directory = await mkdtemp(join(tmpdir(), "mika-memory-readme-"));
    const file = join(directory, "example.ts");
    await writeFile(file, `${source}\nexport { result };\n`);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const { result } = await import(/* @vite-ignore */ file);
      expect(Object.values(result).filter((task) => typeof task === "object")).toHaveLength(9);
      expect(result.emailOutbox.status).toBe("skipped");
      // No replay driver in a five-line example.
      expect(result.webhookRetries.status).toBe("skipped");
      for (const key of [
        "stuckEmails",
        "rawProviderPayloads",
        "acpSessions",
        "stockReservations",
        "ephemeralRecords",
        "accountDeleteRequests",
        "stuckWorkflows",
      ]) {
        expect(result[key].status, key).toBe("completed");
      }
      expect(log).toHaveBeenCalledWith(result.stockReservations);
    } finally {
      log.mockRestore();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
