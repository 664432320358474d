import { defineMikaPackageBuild } from "../../tsdown.base.ts";

export default defineMikaPackageBuild(["src/index.ts", "src/schema-entry.ts"]);
