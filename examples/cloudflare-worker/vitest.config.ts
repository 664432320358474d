import { defineProject } from "vitest/config";
import { emdashVirtualModules } from "../../packages/emdash/test/support/emdash-virtual-modules.ts";

const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineProject({
  // Stands in for EmDash's Astro integration, which generates these modules in a real build.
  plugins: [emdashVirtualModules()],
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    name: "example-cloudflare-worker",
    include: ["test/**/*.test.ts"],
    server: { deps: { inline: ["emdash"] } },
    // Starting a real EmDash runtime runs its ~40 migrations; allow for a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
