import { defineMikaPackageBuild } from "../../tsdown.base.ts";

export default defineMikaPackageBuild({
  index: "src/index.ts",
  contract: "src/contract.ts",
  "schema-entry": "src/schema-entry.ts",
  testing: "src/testing/index.ts",
});
