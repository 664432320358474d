import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type UserConfig } from "tsdown";

/**
 * The declaration bundler keeps side-effect imports of modules the sources import for values
 * only (`import "drizzle-orm/libsql";`, `import "@mika-maintenance/sqlite";`) in the .d.mts
 * files, although no public type needs them. They would make every consumer's
 * `skipLibCheck: false` check drizzle's own declarations, which fail (they name gel, mysql2
 * and more). Blanked, not deleted, so the declaration maps stay aligned.
 */
const VALUE_ONLY_IMPORTS = /^import "(drizzle-orm[^"]*|@mika-maintenance\/sqlite)";$/gm;

function blankValueOnlyImports(outDir: string): void {
  for (const file of readdirSync(outDir)) {
    if (!file.endsWith(".d.mts")) continue;
    const path = join(outDir, file);
    const text = readFileSync(path, "utf8");
    const cleaned = text.replace(VALUE_ONLY_IMPORTS, "");
    if (cleaned !== text) writeFileSync(path, cleaned);
  }
}

/**
 * The build every published package shares: ESM for Node 22 with declarations. Maps (and the
 * shipped src/) let a consumer debug and "go to definition" into the TypeScript.
 */
export function defineMikaPackageBuild(entry: UserConfig["entry"], extra: UserConfig = {}) {
  return defineConfig({
    entry,
    format: "esm",
    platform: "node",
    target: "node22",
    sourcemap: true,
    dts: { sourcemap: true },
    clean: true,
    hooks: { "build:done": ({ options }) => blankValueOnlyImports(options.outDir) },
    ...extra,
  });
}
