#!/usr/bin/env node
// Generates the API reference (docs/api/, Markdown) with TypeDoc from the doc comments of every
// public entry point, discovered from packages/*/package.json `exports` like the doc-comment
// check. `--check` regenerates into a temporary directory and fails when docs/api differs.
// Usage: node scripts/docs-api.mjs [--check]
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Converter } from "typedoc";
import { publicEntryPoints } from "./check-doc-comments.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const target = join(root, "docs", "api");
const out = check ? mkdtempSync(join(tmpdir(), "mika-api-")) : target;
const entries = publicEntryPoints();

// TypeDoc reads the sources the way the workspace does: through the `dev-source` condition.
const tsconfig = join(mkdtempSync(join(tmpdir(), "mika-api-tsconfig-")), "tsconfig.json");
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: join(root, "tsconfig.base.json"),
    compilerOptions: { types: ["node"], typeRoots: [join(root, "node_modules", "@types")] },
    files: entries.map((entry) => entry.entry),
  }),
);

const app = await Application.bootstrapWithPlugins({
  entryPoints: entries.map((entry) => entry.entry),
  entryPointStrategy: "resolve",
  plugin: ["typedoc-plugin-markdown"],
  tsconfig,
  out,
  name: "mika-maintenance API",
  readme: "none",
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  hidePageHeader: true,
  hideBreadcrumbs: true,
  hidePageTitle: false,
  outputFileStrategy: "modules",
  entryFileName: "README.md",
  // Type errors belong to `pnpm typecheck`; this only documents.
  skipErrorChecking: true,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  logLevel: "Warn",
});

// Modules are named after their package entry (`@mika-maintenance/libsql/schema`), not a path.
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  for (const module of context.project.children ?? []) {
    // TypeDoc's default name is the entry's path from the common base, without `/index.ts`.
    const entry = entries.find(
      (candidate) =>
        relative(join(root, "packages"), candidate.entry).replace(/(\/index)?\.ts$/, "") ===
        module.name,
    );
    if (entry) module.name = entry.name;
  }
});

const project = await app.convert();
if (!project) throw new Error("TypeDoc could not convert the entry points");
await app.generateOutputs(project);
rmSync(dirname(tsconfig), { recursive: true, force: true });

if (check) {
  const files = (dir) =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((path) => statSync(join(dir, path)).isFile())
      .sort();
  const expected = files(out);
  let actual = [];
  try {
    actual = files(target);
  } catch {}
  const stale = expected.filter(
    (path) =>
      !actual.includes(path) ||
      readFileSync(join(out, path), "utf8") !== readFileSync(join(target, path), "utf8"),
  );
  const extra = actual.filter((path) => !expected.includes(path));
  rmSync(out, { recursive: true, force: true });
  if (stale.length + extra.length > 0) {
    console.error(
      `docs/api is out of date (${[...stale, ...extra].slice(0, 10).join(", ")}${stale.length + extra.length > 10 ? ", …" : ""}); run: pnpm docs:api`,
    );
    process.exit(1);
  }
  console.log(`docs/api is up to date (${expected.length} files)`);
} else {
  console.log(`wrote ${relative(root, target)} (${entries.length} entry points)`);
}
