import { defineMikaPackageBuild } from "../../tsdown.base.ts";

// Plain ESM with no Node built-ins: Workers bundlers (wrangler) take it as it is.
export default defineMikaPackageBuild(["src/index.ts", "src/schema-entry.ts"]);
