import { defineMikaProject } from "../../vitest.project.ts";

// The test imports the D1 adapter's migration list from its TypeScript sources.
export default defineMikaProject("example-cloudflare-worker", {
  include: ["test/**/*.test.ts"],
  // `astro build` (about 2 minutes idle, more on a loaded machine) runs in beforeAll; each
  // `wrangler d1 execute` starts its own workerd, seconds each on a loaded machine.
  testTimeout: 300_000,
  hookTimeout: 600_000,
});
