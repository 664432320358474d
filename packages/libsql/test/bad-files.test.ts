import { createHash } from "node:crypto";
import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlRepositories, MikaLibsqlError } from "../src/index.ts";
import { fixtureOutput, runFixture } from "./support/run-fixture.ts";
import { createTempDatabase, type TempDatabase } from "./support/temp-database.ts";

const NOW = "2026-06-21T10:00:00.000Z";
/** Tests run as root in CI containers, where file modes do not stop writes: use `nobody`. */
const RUN_AS = process.getuid?.() === 0 ? 65_534 : undefined;

/** Fails with the reason when `nobody` cannot load the adapter from this checkout. */
async function expectFixtureRunsAsOtherUser(): Promise<void> {
  if (RUN_AS === undefined) return;
  const probe = await runFixture("probe", [], { uid: RUN_AS });
  if (probe.code !== 0) {
    throw new Error(
      "The read-only and permission tests run the adapter as user `nobody` (uid 65534) because " +
        "file modes do not stop root, but `nobody` cannot load it from this checkout. Run the " +
        `tests as a non-root user, or from a world-readable checkout.\n${probe.stderr}`,
    );
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDatabase(): Promise<TempDatabase> {
  const temp = await createTempDatabase();
  cleanups.push(() => temp.remove());
  return temp;
}

function adapterFor(url: string): MikaStorageAdapter {
  const adapter = createLibsqlRepositories({ url });
  cleanups.push(() => adapter.close());
  return adapter;
}

/**
 * The bytes of every file next to the database, except SQLite's shared-memory index (-shm)
 * and an empty -wal, which SQLite may create just by opening a WAL-mode file.
 */
async function fingerprint(temp: TempDatabase): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(temp.dir)).sort()) {
    // The -shm index may be removed between readdir and read (a reset connection closes it).
    if (name.endsWith("-shm")) continue;
    // SQLite removes an empty -wal when the last connection closes, maybe mid-listing.
    const bytes = await readFile(join(temp.dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" && name.endsWith("-wal")) return Buffer.alloc(0);
      throw error;
    });
    if (name.endsWith("-wal") && bytes.length === 0) continue;
    files[name] = createHash("sha256").update(bytes).digest("hex");
  }
  return files;
}

/** Every kind of call: schema status, migration, a host write and a maintenance batch. */
function everyKindOfCall(adapter: MikaStorageAdapter) {
  return {
    migrationStatus: () => adapter.migrationStatus(),
    migrate: () => adapter.migrate(),
    enqueueEmail: () => adapter.ops.enqueueEmail({ to: "a@example.test", subject: "s", now: NOW }),
    listDueEmails: () => adapter.ops.listDueEmails({ now: NOW, limit: 10 }),
    purgeExpired: () => adapter.ephemeral.purgeExpired({ now: NOW, limit: 10 }),
  };
}

async function expectMikaError(
  work: () => Promise<unknown>,
  code: string,
  path: string,
): Promise<MikaLibsqlError> {
  const error = await work().then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MikaLibsqlError);
  const mika = error as MikaLibsqlError;
  expect(mika.code).toBe(code);
  expect(mika.database).toBe(path);
  expect(mika.message).toContain(path);
  return mika;
}

async function migratedDatabaseWithRows(temp: TempDatabase): Promise<void> {
  const adapter = createLibsqlRepositories({ url: temp.url });
  await adapter.migrate();
  for (let index = 0; index < 50; index += 1) {
    await adapter.ops.enqueueEmail({ to: `p${index}@example.test`, subject: "s", now: NOW });
  }
  await adapter.close();
  // libSQL frees a closed connection only when it is garbage-collected, so the WAL may still
  // hold the newest pages: move them into the file so the file alone is the database.
  const checkpoint = createClient({ url: temp.url });
  await checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  checkpoint.close();
}

describe("a database file that is not a SQLite database", () => {
  it("fails every call with MIKA_LIBSQL_DATABASE_CORRUPT naming the file, and writes nothing", async () => {
    const temp = await tempDatabase();
    await writeFile(temp.path, Buffer.alloc(16_384, "this is not a database; "));
    const before = await fingerprint(temp);
    const adapter = adapterFor(temp.url);
    for (const [name, call] of Object.entries(everyKindOfCall(adapter))) {
      const error = await expectMikaError(call, "MIKA_LIBSQL_DATABASE_CORRUPT", temp.path);
      expect(error.message, name).toMatch(/not a SQLite database or is corrupt/);
      expect(error.message, name).toMatch(/wrote nothing/);
    }
    expect(await fingerprint(temp)).toEqual(before);
  }, 60_000);

  it("reports damaged pages of a real database as corrupt, and writes nothing", async () => {
    const temp = await tempDatabase();
    await migratedDatabaseWithRows(temp);
    const bytes = await readFile(temp.path);
    // Keep SQLite's 100-byte header, destroy the rest of page 1 (the schema) and page 2.
    bytes.fill(0xa5, 100, Math.min(bytes.length, 8_192));
    await writeFile(temp.path, bytes);
    const before = await fingerprint(temp);
    const adapter = adapterFor(temp.url);
    await expectMikaError(
      () => adapter.ops.listDueEmails({ now: NOW, limit: 10 }),
      "MIKA_LIBSQL_DATABASE_CORRUPT",
      temp.path,
    );
    await expectMikaError(() => adapter.migrate(), "MIKA_LIBSQL_DATABASE_CORRUPT", temp.path);
    expect(await fingerprint(temp)).toEqual(before);
  }, 60_000);
});

describe("a database file that cannot be opened", () => {
  it("names the file when its directory does not exist, and creates nothing", async () => {
    const temp = await tempDatabase();
    const path = join(temp.dir, "missing-dir", "mika.db");
    const adapter = adapterFor(`file:${path}`);
    await expectMikaError(() => adapter.migrate(), "MIKA_LIBSQL_DATABASE_UNREADABLE", path);
    await expectMikaError(() => adapter.ops.getEmail("x"), "MIKA_LIBSQL_DATABASE_UNREADABLE", path);
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it("names the file when the path is a directory", async () => {
    const temp = await tempDatabase();
    const adapter = adapterFor(`file:${temp.dir}`);
    await expectMikaError(() => adapter.migrate(), "MIKA_LIBSQL_DATABASE_UNREADABLE", temp.dir);
  });

  it("names the file when the process may not read it (another user's 0600 file)", async () => {
    await expectFixtureRunsAsOtherUser();
    const temp = await tempDatabase();
    await migratedDatabaseWithRows(temp);
    await chmod(temp.dir, 0o755);
    await chmod(temp.path, RUN_AS === undefined ? 0o000 : 0o600);
    const before = await fingerprint(temp);
    const report = fixtureOutput<Record<string, { ok: boolean; code?: string; database?: string }>>(
      await runFixture("try-database", [temp.url], RUN_AS === undefined ? {} : { uid: RUN_AS }),
    );
    for (const [call, outcome] of Object.entries(report)) {
      expect(outcome, call).toMatchObject({
        ok: false,
        code: "MIKA_LIBSQL_DATABASE_UNREADABLE",
        database: temp.path,
      });
    }
    await chmod(temp.path, 0o644);
    expect(await fingerprint(temp)).toEqual(before);
  }, 60_000);
});

describe("a read-only database file", () => {
  // SQLite opens a file it may not write read-only; libSQL's client has no read-only open
  // (`?mode=ro` is rejected), so the test takes write access away the way production does:
  // file mode 0444 in a directory the process cannot write, run as a non-root user.
  it("fails every write with MIKA_LIBSQL_DATABASE_READONLY naming the file, changing nothing", async () => {
    await expectFixtureRunsAsOtherUser();
    const temp = await tempDatabase();
    await migratedDatabaseWithRows(temp);
    await chmod(temp.dir, RUN_AS === undefined ? 0o555 : 0o755);
    await chmod(temp.path, 0o444);
    cleanups.push(() => chmod(temp.dir, 0o755));
    const before = await fingerprint(temp);
    const report = fixtureOutput<
      Record<string, { ok: boolean; code?: string; database?: string; message?: string }>
    >(await runFixture("try-database", [temp.url], RUN_AS === undefined ? {} : { uid: RUN_AS }));
    for (const call of ["enqueueEmail", "purgeExpired"]) {
      expect(report[call], call).toMatchObject({
        ok: false,
        name: "MikaLibsqlError",
        code: "MIKA_LIBSQL_DATABASE_READONLY",
        database: temp.path,
      });
      expect(report[call]?.message).toContain(temp.path);
    }
    // Up to date, migrate() has nothing to write: it may succeed when SQLite can still read
    // (another connection left the -shm index behind), else it names the read-only file.
    if (!report.migrate?.ok) {
      expect(report.migrate).toMatchObject({
        code: "MIKA_LIBSQL_DATABASE_READONLY",
        database: temp.path,
      });
    }
    expect(await fingerprint(temp)).toEqual(before);
  }, 60_000);

  it("refuses to migrate a read-only database that has none of the tables yet: nothing half-created", async () => {
    await expectFixtureRunsAsOtherUser();
    const temp = await tempDatabase();
    const host = createClient({ url: temp.url });
    await host.execute("create table host_orders (id text primary key)");
    await host.execute("insert into host_orders values ('o1')");
    host.close();
    await chmod(temp.dir, RUN_AS === undefined ? 0o555 : 0o755);
    await chmod(temp.path, 0o444);
    cleanups.push(() => chmod(temp.dir, 0o755));
    const before = await fingerprint(temp);
    const report = fixtureOutput<Record<string, { ok: boolean; code?: string; database?: string }>>(
      await runFixture("try-database", [temp.url], RUN_AS === undefined ? {} : { uid: RUN_AS }),
    );
    expect(report.migrationStatus).toEqual({ ok: true });
    expect(report.migrate).toMatchObject({
      ok: false,
      code: "MIKA_LIBSQL_DATABASE_READONLY",
      database: temp.path,
    });
    expect(await fingerprint(temp)).toEqual(before);
    const reader = createClient({ url: temp.url });
    const tables = await reader.execute("select name from sqlite_master where type = 'table'");
    reader.close();
    expect(tables.rows.map((row) => row.name)).toEqual(["host_orders"]);
  }, 60_000);
});
