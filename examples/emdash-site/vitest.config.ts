import { emdashVirtualModules } from "../../packages/emdash/test/support/emdash-virtual-modules.ts";
import { defineMikaProject } from "../../vitest.project.ts";

export default defineMikaProject(
  "example-emdash-site",
  {
    include: ["test/**/*.test.ts"],
    server: { deps: { inline: ["emdash"] } },
    // Starting a real EmDash runtime runs its ~40 migrations; allow for a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
  // Stands in for EmDash's Astro integration, which generates these modules in a real build.
  { plugins: [emdashVirtualModules()] },
);
