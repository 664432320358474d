import { defineMikaProject } from "../../vitest.project.ts";

// workerd runs the database: on a loaded CI machine a single test can take seconds.
export default defineMikaProject("d1", { testTimeout: 30_000, hookTimeout: 60_000 });
