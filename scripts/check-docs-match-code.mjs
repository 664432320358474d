#!/usr/bin/env node
// Docs that match the code. Everything is discovered from the code itself, so new commands,
// flags, options, packages and docs are checked without touching this file:
// - every CLI flag in a doc's code (inline or block) is one the CLI defines; after
//   `mika-maintenance <command>` it must be one that command (or the program) takes. Flags
//   come from running each package `bin` with `--help` from source (commander's own help);
// - a CLI flag's default mentioned next to it is the default its help states;
// - option tables (`| option | … | default |`) name options that exist in the package's
//   source, with defaults that appear there as literals;
// - every `MIKA_…` name (env variable, error code, constant) exists in the code;
// - relative links resolve in the repository; package READMEs (shown on the registry, where
//   relative links break) have none.
// Usage: node --conditions=dev-source scripts/check-docs-match-code.mjs
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Flags of tools other than mika-maintenance that the docs may show, by tool. */
export const OTHER_TOOL_FLAGS = {
  npm: ["--save-dev", "--no-audit", "--no-fund", "--ignore-scripts"],
  npx: ["-y", "--yes"],
  pnpm: ["--frozen-lockfile", "--filter", "--recursive", "--pack-destination", "--write"],
  node: ["--conditions", "--input-type", "--experimental-strip-types"],
  vitest: ["--project", "--run", "--reporter"],
  git: ["--force", "--soft", "--hard", "--no-ff", "--follow-tags"],
  flock: ["-n"],
  chromium: ["--headless", "--no-sandbox", "--disable-background-networking"],
  typescript: ["--noEmit", "--project"],
  changesets: ["--snapshot", "--tag"],
  jq: ["-c"],
  publint: ["--strict"],
  // `pnpm bench -- …` (bench/src/main.ts)
  bench: ["--adapter", "--scenario", "--quick", "--scale", "--out", "--only"],
  attw: ["--pack", "--profile"],
  wrangler: [
    "--test-scheduled",
    "--local",
    "--ip",
    "--port",
    "--persist-to",
    "--json",
    "--command",
    "--file",
    "--inspector-port",
    "--show-interactive-dev-session",
  ],
  "pnpm bench (bench/src)": ["--adapter", "--scenario", "--quick", "--write"],
  "examples/node-embedded": ["--every-minute"],
};
const otherFlags = new Set(Object.values(OTHER_TOOL_FLAGS).flat());

function walk(dir, accept, found = []) {
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, accept, found);
    else if (accept(path)) found.push(path);
  }
  return found;
}

function packageDirs() {
  return readdirSync(join(root, "packages"))
    .map((name) => join(root, "packages", name))
    .filter((dir) => existsSync(join(dir, "package.json")));
}

/** The docs a reader sees: READMEs, docs/ (not the generated API reference), CONTRIBUTING. */
export function docFiles() {
  const files = ["README.md", "CONTRIBUTING.md"].map((f) => join(root, f)).filter(existsSync);
  files.push(
    ...walk(
      join(root, "docs"),
      (p) => p.endsWith(".md") && !p.includes(`${join(root, "docs", "api")}`),
    ),
  );
  for (const dir of [...packageDirs(), ...walk(join(root, "examples"), () => false)]) {
    if (existsSync(join(dir, "README.md"))) files.push(join(dir, "README.md"));
  }
  for (const name of existsSync(join(root, "examples"))
    ? readdirSync(join(root, "examples"))
    : []) {
    const readme = join(root, "examples", name, "README.md");
    if (existsSync(readme)) files.push(readme);
  }
  return files;
}

/** The CLI's own definitions: `{ bin, global: Map, commands: Map<name, Map<flag, default>> }`. */
export function cliDefinitions() {
  const clis = [];
  for (const dir of packageDirs()) {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const [bin, target] of Object.entries(
      typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {}),
    )) {
      const source = join(dir, "src", `${target.replace(/^.*\//, "").replace(/\.m?js$/, "")}.ts`);
      const help = (args) =>
        execFileSync(process.execPath, ["--conditions=dev-source", source, ...args, "--help"], {
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: "1", COLUMNS: "200" },
        });
      const top = parseHelp(help([]));
      const commands = new Map();
      for (const command of top.commands) commands.set(command, parseHelp(help([command])).options);
      clis.push({ bin, global: top.options, commands });
    }
  }
  return clis;
}

/** Options (flag → default or null) and subcommands from commander's help text. */
function parseHelp(text) {
  const options = new Map();
  const commands = [];
  let section = "";
  let last = null;
  for (const line of text.split("\n")) {
    if (/^\S.*:$/.test(line) || line.trim() === "") {
      // A continuation line belongs to the option above it, never across a section or gap.
      if (line.trim() !== "") section = line;
      last = null;
      continue;
    }
    const option = /^ {2}(?:-\w, )?(--[\w-]+)(?: [<[][^>\]]+[>\]])?\s{2,}(.*)$/.exec(line);
    if (section === "Options:" && option) {
      last = option[1];
      options.set(last, describeDefault(option[2]));
      continue;
    }
    const command = /^ {2}([a-z][\w-]*)(?: |$)/.exec(line);
    if (section === "Commands:" && command) {
      if (command[1] !== "help") commands.push(command[1]);
      last = null;
      continue;
    }
    if (last && /^\s{4,}\S/.test(line)) {
      const previous = options.get(last);
      options.set(last, previous ?? describeDefault(line.trim()));
    }
  }
  return { options, commands };
}

function describeDefault(description) {
  const match = /\(default:? "?([^",)\s]+)/.exec(description);
  return match ? match[1] : null;
}

/** Code the reader copies: inline code spans and code-block lines, with their line numbers. */
function codeSnippets(text) {
  const snippets = [];
  let inBlock = false;
  text.split("\n").forEach((line, index) => {
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock;
      return;
    }
    if (inBlock) snippets.push({ code: line, line: index + 1 });
    else
      for (const span of line.matchAll(/`([^`]+)`/g))
        snippets.push({ code: span[1], line: index + 1 });
  });
  return snippets;
}

function flagsIn(code) {
  return [...code.matchAll(/(?<![\w-])(--?[a-zA-Z][\w-]*)/g)]
    .map((match) => match[1])
    .filter((flag) => flag.startsWith("--") || otherFlags.has(flag));
}

function checkFlags(file, text, clis, problems) {
  const allFlags = new Set();
  const commandNames = new Map();
  for (const cli of clis) {
    for (const flag of cli.global.keys()) allFlags.add(flag);
    for (const [name, options] of cli.commands) {
      commandNames.set(name, new Set([...cli.global.keys(), ...options.keys()]));
      for (const flag of options.keys()) allFlags.add(flag);
    }
  }
  const binNames = clis.map((cli) => cli.bin.replace(/[/@]/g, "\\$&"));
  const invocation = new RegExp(
    `(?:${[...binNames, "@mika-maintenance\\/cli"].join("|")})\\s+([a-z][\\w-]*)(.*)$`,
  );
  for (const { code, line } of codeSnippets(text)) {
    for (const flag of flagsIn(code)) {
      if (!allFlags.has(flag) && !otherFlags.has(flag.split("=")[0])) {
        problems.push(
          `${file}:${line}: \`${flag}\` is not a flag of ${clis.map((c) => c.bin).join(", ")} (nor listed in OTHER_TOOL_FLAGS of scripts/check-docs-match-code.mjs)`,
        );
      }
    }
    const call = invocation.exec(code) ?? /^([a-z][\w-]*)((?:\s+\[?--.*)?)$/.exec(code);
    if (!call) continue;
    const [, command, rest] = call;
    const accepted = commandNames.get(command);
    if (!accepted) {
      if (invocation.test(code))
        problems.push(
          `${file}:${line}: \`${command}\` is not a command (${[...commandNames.keys()].join(", ")})`,
        );
      continue;
    }
    for (const flag of flagsIn(rest)) {
      if (!accepted.has(flag) && allFlags.has(flag)) {
        problems.push(
          `${file}:${line}: \`${command}\` does not take \`${flag}\` (it takes ${[...accepted].join(", ")})`,
        );
      }
    }
  }
  // A flag's default stated beside it (same paragraph or list item) is the one the CLI states.
  const defaults = new Map();
  for (const cli of clis) {
    for (const options of [cli.global, ...cli.commands.values()]) {
      for (const [flag, value] of options) if (value !== null) defaults.set(flag, value);
    }
  }
  const prose = text.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, " "));
  let offset = 0;
  for (const sentence of prose.split(/(?<=[.;:])\s+|\n\s*\n|\n(?=\s*[-*|] )/)) {
    const at = prose.indexOf(sentence, offset);
    offset = at + sentence.length;
    const flags = new Set(flagsIn(sentence).filter((flag) => defaults.has(flag)));
    if (flags.size === 1 && /\bdefault\b/i.test(sentence)) {
      const [flag] = flags;
      if (!sentence.includes(defaults.get(flag))) {
        const line = prose.slice(0, at).split("\n").length;
        problems.push(
          `${file}:${line}: this sentence gives \`${flag}\` a default other than the CLI's (${defaults.get(flag)})`,
        );
      }
    }
  }
}

function sourceText(dirs) {
  return dirs
    .flatMap((dir) => walk(join(dir, "src"), (p) => /\.(ts|mts|js|mjs)$/.test(p)))
    .map((p) => readFileSync(p, "utf8"))
    .join("\n");
}

function checkOptionTables(file, text, problems) {
  const owner = packageDirs().find((dir) => file === join(dir, "README.md"));
  const source = sourceText(owner ? [owner] : packageDirs());
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const header = cells(lines[i]);
    if (header?.[0]?.toLowerCase() !== "option" || !/^\s*\|[\s:|-]+\|\s*$/.test(lines[i + 1] ?? ""))
      continue;
    const defaultColumn = header.findIndex((cell) => cell.toLowerCase() === "default");
    for (let row = i + 2; row < lines.length && cells(lines[row]); row++) {
      const values = cells(lines[row]);
      const names = [...values[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      for (const name of names) {
        // `retryDelayMs()` and `retryDelayMs(...)` name the option `retryDelayMs`.
        for (const part of name.replace(/\??\((?:\.\.\.)?\)$/, "").split(".")) {
          const key = part.replace(/\?$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          if (!new RegExp(`(?<![\\w$])${key}\\??\\s*[:(,=]|["']${key}["']`).test(source)) {
            problems.push(
              `${relative(root, file)}:${row + 1}: option \`${name}\` is not defined in ${owner ? relative(root, owner) : "any package"}'s source`,
            );
          }
        }
      }
      const stated = defaultColumn >= 0 ? values[defaultColumn] : undefined;
      const literal = stated?.match(/^`(.+)`$/)?.[1];
      if (literal && !literalInSource(literal, source)) {
        problems.push(
          `${relative(root, file)}:${row + 1}: default ${stated} of \`${names[0]}\` does not appear in ${owner ? relative(root, owner) : "the"} source`,
        );
      }
    }
  }
}

function cells(line) {
  if (!line || !/^\s*\|.*\|\s*$/.test(line)) return null;
  return line
    .trim()
    .slice(1, -1)
    .split("|")
    .map((cell) => cell.trim());
}

function literalInSource(literal, source) {
  if (/^[\d_,]+$/.test(literal)) {
    const digits = literal.replace(/[_,]/g, "");
    return new RegExp(`(?<![\\w.])${digits.split("").join("_?")}(?![\\w.])`).test(source);
  }
  const unquoted = literal.replace(/^"(.*)"$/, "$1");
  return (
    source.includes(`"${unquoted}"`) ||
    source.includes(`'${unquoted}'`) ||
    source.includes(unquoted)
  );
}

function checkNamesAndLinks(file, text, allCode, problems) {
  for (const match of new Set(text.match(/\bMIKA_[A-Z0-9_]*[A-Z0-9]\b/g) ?? [])) {
    if (!allCode.includes(match))
      problems.push(`${relative(root, file)}: \`${match}\` does not exist in the code`);
  }
  const isPackageReadme = packageDirs().some((dir) => file === join(dir, "README.md"));
  for (const link of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = link[1];
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    if (isPackageReadme) {
      problems.push(
        `${relative(root, file)}: relative link ${target} breaks on the registry page; use plain text or an absolute URL`,
      );
      continue;
    }
    if (!existsSync(resolve(dirname(file), target.split("#")[0]))) {
      problems.push(`${relative(root, file)}: link ${target} points at nothing`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const clis = cliDefinitions();
  const allCode = [
    ...packageDirs().flatMap((dir) => walk(dir, (p) => /\.(ts|mts|mjs|js|json)$/.test(p))),
    ...walk(join(root, "examples"), (p) => /\.(ts|mts|mjs|js|json|jsonc|astro)$/.test(p)),
    ...walk(join(root, "bench"), (p) => /\.(ts|mjs)$/.test(p)),
    ...walk(join(root, "consumer"), (p) => /\.(ts|mjs|sh)$/.test(p)),
    join(root, ".ci", "run"),
  ]
    .map((p) => readFileSync(p, "utf8"))
    .join("\n");
  const problems = [];
  const files = docFiles();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    checkFlags(relative(root, file), text, clis, problems);
    checkOptionTables(file, text, problems);
    checkNamesAndLinks(file, text, allCode, problems);
  }
  const commandCount = clis.reduce((n, cli) => n + cli.commands.size, 0);
  console.log(
    `checked ${files.length} docs against ${clis.length} CLI (${commandCount} commands) and ${packageDirs().length} packages`,
  );
  if (problems.length > 0) {
    console.error(
      `\n${problems.length} places where the docs do not match the code:\n${problems.map((p) => `- ${p}`).join("\n")}`,
    );
    process.exit(1);
  }
  console.log("docs match the code");
}
