import { defineProject } from "vitest/config";
import { emdashVirtualModules } from "./test/support/emdash-virtual-modules.ts";

const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineProject({
  plugins: [emdashVirtualModules()],
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: {
    name: "emdash",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // EmDash ships untranspiled virtual-module imports and `import.meta.env`; Vite must
    // transform it, as Astro does in a real site.
    server: { deps: { inline: ["emdash"] } },
    // Starting a real EmDash runtime runs its ~40 migrations; allow for a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
