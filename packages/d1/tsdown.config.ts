import { defineMikaPackageBuild } from "../../tsdown.base.ts";

export default defineMikaPackageBuild(["src/index.ts", "src/schema-entry.ts"], {
  // Workers run it too: nothing here may need Node built-ins.
  platform: "neutral",
});
