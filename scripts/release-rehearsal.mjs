#!/usr/bin/env node
// Release rehearsal: runs `changeset version` on a scratch copy of the workspace manifests and
// the pending changesets, and checks what a release would produce: every published package
// (the fixed group) at one new version with a CHANGELOG entry for it, internal ranges still
// `workspace:`, private packages untouched. Nothing in the repository changes.
// Usage: node scripts/release-rehearsal.mjs
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "mika-release-rehearsal-"));
const problems = [];

const workspaceDirs = ["packages", "examples"]
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(group, name))
      : [],
  )
  .concat(["bench"])
  .filter((dir) => existsSync(join(root, dir, "package.json")));

for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset"]) {
  cpSync(join(root, file), join(scratch, file), { recursive: true });
}
for (const dir of workspaceDirs) {
  mkdirSync(join(scratch, dir), { recursive: true });
  for (const file of ["package.json", "CHANGELOG.md"]) {
    if (existsSync(join(root, dir, file))) cpSync(join(root, dir, file), join(scratch, dir, file));
  }
}

const manifest = (base, dir) => JSON.parse(readFileSync(join(base, dir, "package.json"), "utf8"));
const before = new Map(workspaceDirs.map((dir) => [dir, manifest(root, dir)]));
const pending = readdirSync(join(root, ".changeset")).filter(
  (f) => f.endsWith(".md") && f !== "README.md",
);

try {
  const output = execFileSync(join(root, "node_modules", ".bin", "changeset"), ["version"], {
    cwd: scratch,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  console.log(output.trim());
} catch (error) {
  console.error(`${error.stdout ?? ""}${error.stderr ?? ""}`);
  problems.push(`changeset version failed: ${String(error.message).split("\n")[0]}`);
}

if (problems.length === 0) {
  const published = workspaceDirs.filter((dir) => before.get(dir).private !== true);
  const versions = new Set(published.map((dir) => manifest(scratch, dir).version));
  if (versions.size !== 1)
    problems.push(`the fixed group ended at several versions: ${[...versions].join(", ")}`);
  const [version] = versions;
  for (const dir of published) {
    const after = manifest(scratch, dir);
    const old = before.get(dir);
    if (pending.length > 0 && after.version === old.version)
      problems.push(`${old.name} was not bumped`);
    const changelog = join(scratch, dir, "CHANGELOG.md");
    if (
      pending.length > 0 &&
      !(existsSync(changelog) && readFileSync(changelog, "utf8").includes(`## ${version}`))
    ) {
      problems.push(`${old.name} has no CHANGELOG entry for ${version}`);
    }
    for (const field of ["dependencies", "peerDependencies", "devDependencies"]) {
      for (const [name, range] of Object.entries(after[field] ?? {})) {
        const was = old[field]?.[name];
        if (String(was).startsWith("workspace:") && range !== was) {
          problems.push(`${old.name} ${field}.${name} changed from ${was} to ${range}`);
        }
      }
    }
    console.log(`  ${old.name}: ${old.version} -> ${after.version}`);
  }
  for (const dir of workspaceDirs.filter((d) => before.get(d).private === true)) {
    const after = manifest(scratch, dir);
    if (
      after.version !== before.get(dir).version ||
      existsSync(join(scratch, dir, "CHANGELOG.md"))
    ) {
      problems.push(
        `private ${after.name} was versioned (${before.get(dir).version} -> ${after.version})`,
      );
    }
  }
  const left = readdirSync(join(scratch, ".changeset")).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  );
  if (left.length > 0) problems.push(`changesets not consumed: ${left.join(", ")}`);
  console.log(`${pending.length} changesets -> ${published.length} packages at ${version}`);
}

rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`release rehearsal FAILED:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("release rehearsal passed");
