import { defineMikaProject } from "../../vitest.project.ts";

export default defineMikaProject(
  "postgres",
  { testTimeout: 30_000, hookTimeout: 60_000 },
  { conditions: "pg" },
);
