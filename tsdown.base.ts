import { defineConfig, type UserConfig } from "tsdown";

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
    ...extra,
  });
}
