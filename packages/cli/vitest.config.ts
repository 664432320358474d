import { defineProject } from "vitest/config";

// No "import"/"module" here: vitest hands these conditions to Node for external packages, and
// with "import" active Node 22's require() of pg-pool loads its ESM build, which breaks pg.
const conditions = ["dev-source", "node", "default"];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    name: "cli",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Every test spawns real CLI processes (Node strips types on each start).
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
