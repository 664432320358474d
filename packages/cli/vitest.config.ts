import { defineMikaProject } from "../../vitest.project.ts";

export default defineMikaProject(
  "cli",
  // Every test spawns real CLI processes (Node strips types on each start).
  { testTimeout: 180_000, hookTimeout: 120_000 },
  { conditions: "pg" },
);
