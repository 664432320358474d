import { mkdtemp, readFile, writeFile } from "node:fs/promises";
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
        '"@mika-maintenance/memory"',
        JSON.stringify(join(packageRoot, "../memory/src/index.ts")),
      )
      .replace('"@mika-maintenance/http"', JSON.stringify(join(packageRoot, "src/index.ts")));
    const directory = await mkdtemp(join(tmpdir(), "mika-http-readme-"));
    const file = join(directory, "example.ts");
    await writeFile(file, source);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      expect(log).toHaveBeenCalledWith(
        200,
        "# HELP mika_maintenance_pass_duration_seconds Duration of maintenance passes, by lane and status.",
      );
    } finally {
      log.mockRestore();
    }
  });
});
