import { defineProject, type TestProjectInlineConfiguration } from "vitest/config";

/**
 * How a project resolves workspace packages: their TypeScript sources, through the
 * `dev-source` export condition, so tests never need a build first. `pg` leaves out
 * "import"/"module": vitest hands these conditions to Node for external packages, and with
 * "import" active Node 22's require() of pg-pool loads its ESM build, which breaks pg.
 */
const CONDITIONS = {
  esm: ["dev-source", "module", "node", "import", "default"],
  pg: ["dev-source", "node", "default"],
};

type ProjectTest = NonNullable<TestProjectInlineConfiguration["test"]>;

/** One vitest project of the workspace, named after its folder, with the shared resolution. */
export function defineMikaProject(
  name: string,
  test: Omit<ProjectTest, "name"> = {},
  options: {
    conditions?: keyof typeof CONDITIONS;
    plugins?: TestProjectInlineConfiguration["plugins"];
  } = {},
) {
  const conditions = CONDITIONS[options.conditions ?? "esm"];
  return defineProject({
    ...(options.plugins ? { plugins: options.plugins } : {}),
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["dev-source"] } },
    test: { name, include: ["src/**/*.test.ts", "test/**/*.test.ts"], ...test },
  });
}
