#!/usr/bin/env node
// The code the docs show is the code the consumer test runs. A code block preceded by
//   <!-- example: consumer/examples/<file> -->
// must equal that file; `--write` copies the files into the docs instead of checking. Every
// published package's README must open its first code block with such a marker, so a new
// package's example is run by the consumer test (consumer/run.mjs) from day one.
// Usage: node scripts/check-readme-examples.mjs [--write]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { docFiles } from "./check-docs-match-code.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const write = process.argv.includes("--write");
const marker = /^<!-- example: (\S+) -->\n(```\w*\n)([\s\S]*?)\n```/gm;
const problems = [];
let checked = 0;

for (const file of docFiles()) {
  const text = readFileSync(file, "utf8");
  const where = relative(root, file);
  const updated = text.replace(marker, (block, example, fence, shown) => {
    checked++;
    const path = join(root, example);
    if (!existsSync(path)) {
      problems.push(`${where}: ${example} does not exist`);
      return block;
    }
    const code = readFileSync(path, "utf8").replace(/\n$/, "");
    if (code === shown) return block;
    if (!write)
      problems.push(`${where}: the block after <!-- example: ${example} --> differs from the file`);
    return `<!-- example: ${example} -->\n${fence}${code}\n\`\`\``;
  });
  if (write && updated !== text) writeFileSync(file, updated);
  const manifestPath = join(dirname(file), "package.json");
  const isPublishedPackage =
    relative(root, file).startsWith("packages/") &&
    existsSync(manifestPath) &&
    JSON.parse(readFileSync(manifestPath, "utf8")).private !== true;
  if (isPublishedPackage) {
    const firstBlock = text.indexOf("```");
    if (firstBlock < 0 || !/<!-- example: \S+ -->\n$/.test(text.slice(0, firstBlock))) {
      problems.push(
        `${where}: the first code block (the package's opening example) has no <!-- example: consumer/examples/… --> marker, so nothing runs it`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(
    `${problems.length} doc examples are not the tested files (run node scripts/check-readme-examples.mjs --write to copy the files in):\n${problems.map((p) => `- ${p}`).join("\n")}`,
  );
  process.exit(1);
}
console.log(`${checked} doc examples match consumer/examples${write ? " (written)" : ""}`);
