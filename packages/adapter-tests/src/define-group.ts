import type { MikaConformanceContext } from "./context.ts";

/** One named conformance test. */
export interface MikaConformanceTest {
  name: string;
  run(context: MikaConformanceContext): Promise<void>;
  /** Overrides the test timeout for slow, real-concurrency tests. */
  timeoutMs?: number;
}

/** A named group of tests an adapter runs, or opts out of with a reason. */
export interface MikaConformanceGroupDefinition<Name extends string = string> {
  /** The group's name; `MIKA_CONFORMANCE_GROUPS` and the opt-out keys derive from these. */
  name: Name;
  /** What the group proves, in one line. */
  description: string;
  tests: readonly MikaConformanceTest[];
}

type TestBody = MikaConformanceTest["run"] | { run: MikaConformanceTest["run"]; timeoutMs: number };

/** Declares a group from a map of test name → body (or body with a timeout). */
export function defineConformanceGroup<const Name extends string>(
  name: Name,
  description: string,
  tests: Record<string, TestBody>,
): MikaConformanceGroupDefinition<Name> {
  return {
    name,
    description,
    tests: Object.entries(tests).map(([testName, body]) =>
      typeof body === "function" ? { name: testName, run: body } : { name: testName, ...body },
    ),
  };
}
