import { defineProject } from "vitest/config";

const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    name: "libsql",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real files and fsyncs: on a loaded CI machine a single test can take seconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
