#!/usr/bin/env node
// The consumer test: what a user gets from the registry, proven on the packed tarballs.
// Builds, `pnpm pack`s every published package, installs the tarballs with npm into a fresh
// project outside the workspace, and runs there every example the docs show (README code
// blocks are checked against consumer/examples by scripts/check-readme-examples.mjs).
// Usage: node consumer/run.mjs  (env: MIKA_TEST_POSTGRES_URL, KEEP_CONSUMER=1 keeps the project)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const examples = join(root, "consumer", "examples");
const pnpmVersion = JSON.parse(
  readFileSync(join(root, "package.json"), "utf8"),
).packageManager.split("@")[1];
const postgresUrl = process.env.MIKA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// Examples need Node >= 22.12: run them (and npx's bins) on the Node running this script.
// pnpm's own npm_config_* settings are dropped: a consumer's npm never sees them.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_(config|package|lifecycle)_/i.test(name)),
);
Object.assign(env, { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: "1" });
const started = Date.now();
const failures = [];

function step(title) {
  console.log(`\n== ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Runs a command, echoes its output, records a failure when it exits non-zero or hangs. */
function run(title, command, args, options = {}) {
  const t0 = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...env, ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trimEnd();
  const shown = options.quiet ? output.split("\n").slice(-8).join("\n") : output;
  const ok = result.status === 0 && (options.expect ?? []).every((text) => output.includes(text));
  console.log(`$ ${[command, ...args].join(" ")}   [${ok ? "ok" : "FAILED"}, ${seconds} s]`);
  if (shown) console.log(shown.replace(/^/gm, "  "));
  if (!ok) {
    const why =
      result.error?.code === "ETIMEDOUT" ? "did not exit in time" : `exit ${result.status}`;
    const missing = (options.expect ?? []).filter((text) => !output.includes(text));
    failures.push(
      `${title}: ${why}${missing.length ? `; output lacks ${JSON.stringify(missing)}` : ""}`,
    );
  }
  return output;
}

function must(command, args, cwd, stdout = "inherit") {
  execFileSync(command, args, { cwd, env, stdio: ["ignore", stdout, "inherit"] });
}

// Under `pnpm test:consumer` reuse the running pnpm (npx costs seconds per call).
const pnpm = process.env.npm_execpath?.includes("pnpm")
  ? [process.execPath, process.env.npm_execpath]
  : ["npx", "-y", `pnpm@${pnpmVersion}`];
const runPnpm = (args, cwd, stdout) => must(pnpm[0], [...pnpm.slice(1), ...args], cwd, stdout);

const work = mkdtempSync(join(tmpdir(), "mika-consumer-"));
const tarballs = join(work, "tarballs");
const project = join(work, "project");
mkdirSync(tarballs);
mkdirSync(project);

step("build the packages (turbo; cached when check:packages already built them)");
// Only packages/*: the examples' builds (an Astro site) are not what gets published.
runPnpm(
  ["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"],
  root,
);

step("pack every published package");
const published = readdirSync(join(root, "packages"))
  .map((dir) => join(root, "packages", dir))
  .filter((dir) => {
    try {
      return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private !== true;
    } catch {
      return false;
    }
  });
for (const dir of published) {
  runPnpm(["pack", "--pack-destination", tarballs], dir, "ignore");
}
const packed = readdirSync(tarballs)
  .filter((file) => file.endsWith(".tgz"))
  .sort();
for (const file of packed) checkTarball(join(tarballs, file));

/** LICENSE shipped, every source map's sources shipped, no workspace: ranges left. */
function checkTarball(file) {
  const listing = execFileSync("tar", ["-tzf", file], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  const files = new Set(listing.map((entry) => entry.replace(/^package\//, "")));
  const size = statSync(file).size;
  console.log(`  ${basename(file)}: ${(size / 1024).toFixed(1)} kB packed, ${files.size} files`);
  const extract = join(work, "extract", basename(file));
  mkdirSync(extract, { recursive: true });
  execFileSync("tar", ["-xzf", file, "-C", extract]);
  const manifest = JSON.parse(readFileSync(join(extract, "package", "package.json"), "utf8"));
  if (!files.has("LICENSE")) failures.push(`${manifest.name}: no LICENSE in the tarball`);
  if (manifest.repository && /example\.invalid/.test(JSON.stringify(manifest.repository))) {
    failures.push(`${manifest.name}: placeholder repository field`);
  }
  const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const [name, range] of Object.entries(ranges)) {
    if (String(range).startsWith("workspace:"))
      failures.push(`${manifest.name}: ${name}@${range} left in the tarball`);
  }
  const maps = [...files].filter((entry) => entry.endsWith(".map"));
  if (maps.length === 0) failures.push(`${manifest.name}: no source maps in the tarball`);
  for (const map of maps) {
    const { sources } = JSON.parse(readFileSync(join(extract, "package", map), "utf8"));
    for (const source of sources) {
      const target = join(dirname(map), source).replace(/\\/g, "/");
      if (!files.has(target))
        failures.push(`${manifest.name}: ${map} points at ${source}, which is not shipped`);
    }
  }
}

step("install the tarballs with npm into a fresh project");
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
writeFileSync(
  join(project, "package.json"),
  `${JSON.stringify({ name: "mika-consumer", private: true, type: "module" }, null, 2)}\n`,
);
// npm installs the peers itself (the newest version in each peer range: the upper bound).
// --ignore-scripts: no package here needs an install script (decision 0018); emdash's
// better-sqlite3 would otherwise compile from source for minutes, and nothing opens it.
run(
  "npm install",
  "npm",
  [
    "install",
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...packed.map((file) => join(tarballs, file)),
    `typescript@${rootPackage.devDependencies.typescript}`,
    `@types/node@${rootPackage.devDependencies["@types/node"]}`,
  ],
  { cwd: project, timeoutMs: 600_000, quiet: true },
);
// The peers npm picked: the newest in each peer range, i.e. the ranges' upper bounds.
const peers = ["@libsql/client", "drizzle-orm", "kysely", "pg", "@types/pg", "vitest", "emdash"];
run("installed peer versions", "npm", ["ls", ...peers], { cwd: project });

for (const file of readdirSync(examples)) copyFileSync(join(examples, file), join(project, file));
copyFileSync(join(root, "consumer", "type-errors.ts"), join(project, "type-errors.ts"));

step("strict TypeScript, skipLibCheck false: NodeNext and Bundler resolution");
const compilerOptions = {
  target: "ES2023",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  types: ["node"],
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  allowJs: true,
  checkJs: true,
};
const include = ["*.ts", "*.mjs"];
// The Astro config example is run, not type-checked: checking it means checking Astro's own
// declarations, minutes of work that say nothing about these packages.
const exclude = ["readme-emdash.mjs"];
writeFileSync(
  join(project, "tsconfig.json"),
  JSON.stringify({ compilerOptions, include, exclude }, null, 2),
);
writeFileSync(
  join(project, "tsconfig.bundler.json"),
  JSON.stringify(
    {
      compilerOptions: { ...compilerOptions, module: "ESNext", moduleResolution: "Bundler" },
      include,
      exclude,
    },
    null,
    2,
  ),
);
const tsc = ["node_modules/typescript/bin/tsc", "-p"];
run("tsc NodeNext", "node", [...tsc, "tsconfig.json"], { cwd: project, timeoutMs: 300_000 });
run("tsc Bundler", "node", [...tsc, "tsconfig.bundler.json"], { cwd: project, timeoutMs: 300_000 });

step("README library example, plain ESM JS and TypeScript, on libSQL");
const sent = ['sending "Your receipt" to buyer@example.com', "emailOutbox"];
run("library-libsql.mjs", "node", ["library-libsql.mjs"], {
  cwd: project,
  expect: sent,
  timeoutMs: 30_000,
});
rmSync(join(project, "mika-maintenance.db"), { force: true });
run("library-libsql.ts", "node", ["library-libsql.ts"], {
  cwd: project,
  expect: sent,
  timeoutMs: 30_000,
});

step("README library example, plain ESM JS and TypeScript, on Postgres (a fresh database)");
const database = `mika_consumer_${process.pid}_${Date.now()}`;
const databaseUrl = Object.assign(new URL(postgresUrl), { pathname: `/${database}` }).toString();
const admin = (sql) =>
  run(
    `postgres: ${sql}`,
    "node",
    [
      "--input-type=module",
      "-e",
      `import pg from "pg"; const c = new pg.Client(${JSON.stringify(postgresUrl)}); await c.connect(); await c.query(${JSON.stringify(sql)}); await c.end();`,
    ],
    { cwd: project },
  );
admin(`create database ${database}`);
try {
  const pgEnv = { DATABASE_URL: databaseUrl };
  run("library-postgres.mjs", "node", ["library-postgres.mjs"], {
    cwd: project,
    env: pgEnv,
    expect: sent,
    timeoutMs: 30_000,
  });
  run("library-postgres.ts", "node", ["library-postgres.ts"], {
    cwd: project,
    env: pgEnv,
    expect: ["emailOutbox"],
    timeoutMs: 30_000,
  });

  step("each package README's opening example");
  rmSync(join(project, "mika-maintenance.db"), { force: true });
  // A process kept alive by an open pool or timer fails by timing out (the limit is generous).
  run("readme-core.ts", "node", ["readme-core.ts"], {
    cwd: project,
    expect: ["stockReservations"],
    timeoutMs: 20_000,
  });
  run("readme-memory.ts", "node", ["readme-memory.ts"], {
    cwd: project,
    expect: ["completed"],
    timeoutMs: 20_000,
  });
  run("readme-libsql.ts", "node", ["readme-libsql.ts"], {
    cwd: project,
    expect: ["completed"],
    timeoutMs: 20_000,
  });
  run("readme-postgres.ts", "node", ["readme-postgres.ts"], {
    cwd: project,
    env: pgEnv,
    expect: ["completed"],
    timeoutMs: 20_000,
  });
  run(
    "readme-emdash.mjs",
    "node",
    [
      "--input-type=module",
      "-e",
      'const config = (await import("./readme-emdash.mjs")).default; const names = config.integrations.flat().map((i) => i.name); console.log("astro integrations:", names.join(", ")); if (!names.includes("emdash")) process.exit(1);',
    ],
    { cwd: project, expect: ["emdash"], timeoutMs: 60_000 },
  );
  // The D1 example is a Worker module: here it must load from the tarballs and export
  // scheduled(); examples/cloudflare-worker runs the same code in workerd (wrangler dev).
  run(
    "readme-d1.ts",
    "node",
    [
      "--input-type=module",
      "-e",
      'const worker = (await import("./readme-d1.ts")).default; if (typeof worker.scheduled !== "function") process.exit(1); console.log("d1 worker exports scheduled()");',
    ],
    { cwd: project, expect: ["scheduled()"], timeoutMs: 20_000 },
  );
  run("readme-adapter-tests.test.ts", "npx", ["vitest", "run", "readme-adapter-tests.test.ts"], {
    cwd: project,
    expect: ["passed"],
    timeoutMs: 240_000,
    quiet: true,
  });

  // A package added later gets its README example run here without touching this file.
  const handled = new Set([
    "readme-core.ts",
    "readme-memory.ts",
    "readme-libsql.ts",
    "readme-postgres.ts",
    "readme-emdash.mjs",
    "readme-adapter-tests.test.ts",
    "readme-d1.ts",
    "readme-cli.sh",
  ]);
  for (const file of readdirSync(examples).filter(
    (f) => f.startsWith("readme-") && !handled.has(f),
  )) {
    if (/\.(ts|mjs)$/.test(file) && !file.includes(".test.")) {
      run(file, "node", [file], { cwd: project, env: pgEnv, timeoutMs: 30_000 });
    } else
      failures.push(
        `${file}: the consumer test does not know how to run it; add it to consumer/run.mjs`,
      );
  }

  step("the CLI from the tarball: --help, migrate, once, and the README's commands");
  run("mika-maintenance --help", "npx", ["mika-maintenance", "--help"], {
    cwd: project,
    expect: ["once", "tick", "migrate"],
  });
  run(
    "mika-maintenance migrate",
    "npx",
    ["mika-maintenance", "migrate", "--database-url", "file:cli.db"],
    { cwd: project },
  );
  run(
    "mika-maintenance once",
    "npx",
    ["mika-maintenance", "once", "--json", "--database-url", "file:cli.db"],
    { cwd: project, expect: ["stockReservations"] },
  );
  run(
    "mika-maintenance once (Postgres)",
    "npx",
    ["mika-maintenance", "once", "--json", "--database-url", databaseUrl],
    { cwd: project, expect: ["stockReservations"] },
  );
  rmSync(join(project, "mika-maintenance.db"), { force: true });
  run("readme-cli.sh", "bash", ["-e", "readme-cli.sh"], {
    cwd: project,
    expect: ["stockReservations"],
    quiet: true,
  });
} finally {
  admin(`drop database if exists ${database} with (force)`);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (process.env.KEEP_CONSUMER) console.log(`\nkept ${work}`);
// Removing ~600 installed packages takes minutes on a busy disk; nothing waits for it.
else spawn("rm", ["-rf", work], { detached: true, stdio: "ignore" }).unref();
if (failures.length > 0) {
  console.error(
    `\nconsumer test FAILED after ${seconds} s:\n${failures.map((f) => `- ${f}`).join("\n")}`,
  );
  process.exit(1);
}
console.log(`\nconsumer test passed in ${seconds} s (${packed.length} tarballs)`);
