import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources through the `dev-source`
// export condition, so tests never need a build first.
const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    projects: ["packages/*", "examples/*"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
