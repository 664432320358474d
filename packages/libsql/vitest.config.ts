import { defineMikaProject } from "../../vitest.project.ts";

// Real files and fsyncs: on a loaded CI machine a single test can take seconds.
export default defineMikaProject("libsql", { testTimeout: 30_000, hookTimeout: 60_000 });
