import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineMikaPackageBuild } from "../../tsdown.base.ts";

export default defineMikaPackageBuild(
  {
    index: "src/index.ts",
    "schema-entry": "src/schema-entry.ts",
    testing: "src/testing/index.ts",
  },
  {
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
  },
);
