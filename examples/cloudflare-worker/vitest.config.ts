import { defineProject } from "vitest/config";

// The test imports the D1 adapter's migration list from its TypeScript sources.
const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    name: "example-cloudflare-worker",
    include: ["test/**/*.test.ts"],
    // `astro build` (about 2 minutes idle, more on a loaded machine) runs in beforeAll; each
    // `wrangler d1 execute` starts its own workerd, seconds each on a loaded machine.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
