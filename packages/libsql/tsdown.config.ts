import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/schema-entry.ts"],
  format: "esm",
  platform: "node",
  target: "node22",
  // Maps (and the shipped src/) let a consumer debug and "go to definition" into the TypeScript.
  sourcemap: true,
  dts: { sourcemap: true },
  clean: true,
  hooks: {
    // The declaration bundler keeps `import "drizzle-orm/libsql";` (a value import in the
    // sources) in index.d.mts although no public type uses drizzle. It would make every
    // consumer's `skipLibCheck: false` check drizzle's own declarations, which fail (they name
    // gel, mysql2 and more). Blanked, not deleted, so the declaration maps stay aligned.
    "build:done": ({ options }) => {
      for (const file of readdirSync(options.outDir)) {
        if (!file.endsWith(".d.mts")) continue;
        const path = join(options.outDir, file);
        const text = readFileSync(path, "utf8");
        const cleaned = text.replace(/^import "drizzle-orm[^"]*";$/gm, "");
        if (cleaned !== text) writeFileSync(path, cleaned);
      }
    },
  },
});
