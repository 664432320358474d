import { defineProject } from "vitest/config";

const conditions = ["dev-source", "module", "node", "import", "default"];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
  test: { name: "http", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
