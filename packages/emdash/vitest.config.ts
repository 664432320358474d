import { defineMikaProject } from "../../vitest.project.ts";
import { emdashVirtualModules } from "./test/support/emdash-virtual-modules.ts";

export default defineMikaProject(
  "emdash",
  {
    // EmDash ships untranspiled virtual-module imports and `import.meta.env`; Vite must
    // transform it, as Astro does in a real site.
    server: { deps: { inline: ["emdash"] } },
    // Starting a real EmDash runtime runs its ~40 migrations; allow for a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
  { plugins: [emdashVirtualModules()] },
);
