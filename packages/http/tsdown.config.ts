import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/node.ts"],
  format: "esm",
  platform: "node",
  target: "node22",
  // Maps (and the shipped src/) let a consumer debug and "go to definition" into the TypeScript.
  sourcemap: true,
  dts: { sourcemap: true },
  clean: true,
});
