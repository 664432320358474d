import { defineMikaPackageBuild } from "../../tsdown.base.ts";

export default defineMikaPackageBuild([
  "src/index.ts",
  "src/runtime.ts",
  "src/astro.ts",
  "src/server-startup.ts",
]);
