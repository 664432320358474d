import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";
import { createPostgresRepositories } from "@mika-maintenance/postgres";
import pg from "pg";

/** The Postgres server the tests use (DESIGN §5); a missing server fails them. */
export const POSTGRES_URL =
  process.env.MIKA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** One backend the CLI is tested against: its flags and a direct adapter for setup. */
export interface CliBackend {
  name: "libsql" | "postgres";
  /** Working directory of the CLI processes (config modules and files live here). */
  dir: string;
  /** `--database-url …` plus the schema flag where one applies. */
  flags: string[];
  /** A direct adapter on the same database, for seeding and checking what was stored. */
  open(): MikaStorageAdapter;
  dispose(): Promise<void>;
}

/** Opens the backend's store, migrates it, runs `seed` on it if given, and closes it. */
export async function prepareStore(
  backend: CliBackend,
  seed?: (store: MikaStorageAdapter) => Promise<unknown>,
): Promise<void> {
  const store = backend.open();
  try {
    await store.migrate();
    if (seed) await seed(store);
  } finally {
    await store.close();
  }
}

/** A fresh libSQL file in a fresh directory. */
export function libsqlBackend(): CliBackend {
  const dir = mkdtempSync(path.join(tmpdir(), "mika-cli-"));
  const file = path.join(dir, "maintenance.db");
  return {
    name: "libsql",
    dir,
    flags: ["--database-url", `file:${file}`],
    open: () => createLibsqlRepositories({ url: `file:${file}` }),
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema on the test server; dropped by `dispose`. */
export async function postgresBackend(label: string): Promise<CliBackend> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The CLI tests need Postgres at ${POSTGRES_URL} (MIKA_TEST_POSTGRES_URL): ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  const schema = `cli_${label}_${randomBytes(4).toString("hex")}`;
  const dir = mkdtempSync(path.join(tmpdir(), "mika-cli-pg-"));
  return {
    name: "postgres",
    dir,
    flags: ["--database-url", POSTGRES_URL, "--schema", schema],
    open: () => createPostgresRepositories({ connectionString: POSTGRES_URL, schema }),
    async dispose() {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
