import { defineProject } from "vitest/config";

const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    name: "d1",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // workerd runs the database: on a loaded CI machine a single test can take seconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
