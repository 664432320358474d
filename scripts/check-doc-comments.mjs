#!/usr/bin/env node
// Every public export of every published package carries a doc comment. Packages and entry
// points are discovered from packages/*/package.json `exports` (the `dev-source` condition), so
// a new package or export is checked without touching this file.
// Usage: node scripts/check-doc-comments.mjs   (exits 1 and lists the undocumented exports)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** `{ name, entry }` for every exported entry point of every published package. */
export function publicEntryPoints() {
  const entries = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const manifestPath = join(root, "packages", dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.private) continue;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === "object" ? target["dev-source"] : undefined;
      if (!source) continue;
      const name = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      entries.push({ name, entry: join(root, "packages", dir, source) });
    }
  }
  return entries;
}

/** Every export of each entry point, with whether it has a doc comment. */
export function collectExports(entries) {
  const program = ts.createProgram(
    entries.map((entry) => entry.entry),
    {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ["dev-source"],
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  return entries.map(({ name, entry }) => {
    const file = program.getSourceFile(entry);
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${name} (${entry})`);
    const exports = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      const documented =
        target.getDocumentationComment(checker).some((part) => part.text.trim() !== "") ||
        (target.declarations ?? []).some((node) => ts.getJSDocTags(node).length > 0);
      const where = declaration
        ? `${relative(root, declaration.getSourceFile().fileName)}:${
            declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart()).line +
            1
          }`
        : "?";
      return { name: symbol.name, documented, where };
    });
    return { name, exports };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = collectExports(publicEntryPoints());
  let missing = 0;
  let total = 0;
  for (const entry of report) {
    const undocumented = entry.exports.filter((item) => !item.documented);
    total += entry.exports.length;
    missing += undocumented.length;
    console.log(
      `${entry.name}: ${entry.exports.length} exports, ${undocumented.length} without a doc comment`,
    );
    for (const item of undocumented) console.log(`  - ${item.name} (${item.where})`);
  }
  if (missing > 0) {
    console.error(
      `\n${missing} of ${total} public exports have no doc comment. Add a one-line /** … */ saying what each is for.`,
    );
    process.exit(1);
  }
  console.log(`\nall ${total} public exports documented`);
}
