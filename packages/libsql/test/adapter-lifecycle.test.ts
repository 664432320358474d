import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { createMikaSqliteSchema } from "@mika-maintenance/sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlRepositories, MIKA_LIBSQL_MIGRATIONS, MikaLibsqlError } from "../src/index.ts";
import { fixtureOutput, runFixture } from "./support/run-fixture.ts";
import { createTempDatabase } from "./support/temp-database.ts";

const NOW = "2026-06-21T10:00:00.000Z";
const MIGRATION_NAMES = MIKA_LIBSQL_MIGRATIONS.map((migration) => migration.name);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function caught(work: () => Promise<unknown>): Promise<MikaLibsqlError> {
  const error = await work().then(
    () => new Error("expected the call to fail"),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(MikaLibsqlError);
  return error as MikaLibsqlError;
}

describe("migrations", () => {
  it("reports pending migrations, applies them once, and is a no-op the second time", async () => {
    const client = createClient({ url: ":memory:" });
    cleanups.push(() => client.close());
    const adapter = createLibsqlRepositories({ client });
    expect(await adapter.migrationStatus()).toEqual({ applied: [], pending: MIGRATION_NAMES });
    const first = await adapter.migrate();
    expect(first.pending).toEqual([]);
    expect(first.applied.map((migration) => migration.name)).toEqual(MIGRATION_NAMES);
    expect(Number.isFinite(Date.parse(first.applied[0]!.appliedAt))).toBe(true);
    expect(await adapter.migrate()).toEqual(first);
    expect(await adapter.migrationStatus()).toEqual(first);
  });

  it("tells the operator to migrate when the tables are missing", async () => {
    const client = createClient({ url: ":memory:" });
    cleanups.push(() => client.close());
    const adapter = createLibsqlRepositories({ client });
    const error = await caught(() => adapter.ops.listDueEmails({ now: NOW, limit: 10 }));
    expect(error.code).toBe("MIKA_LIBSQL_NOT_MIGRATED");
    expect(error.message).toMatch(/Run migrate\(\)/);
  });

  it("refuses a database migrated by a newer version of the package", async () => {
    const client = createClient({ url: ":memory:" });
    cleanups.push(() => client.close());
    const adapter = createLibsqlRepositories({ client });
    await adapter.migrate();
    await client.execute("insert into mika_migrations values ('9999_from_the_future', 0)");
    const error = await caught(() => adapter.migrate());
    expect(error.code).toBe("MIKA_LIBSQL_SCHEMA_TOO_NEW");
    expect(error.message).toContain("9999_from_the_future");
  });

  it("coexists with a host's drizzle-kit tables: IF NOT EXISTS everywhere, recorded once", async () => {
    const client = createClient({ url: ":memory:" });
    cleanups.push(() => client.close());
    // A host that pushed the exported schema first (here: the same statements, unrecorded).
    for (const statement of MIKA_LIBSQL_MIGRATIONS[0]!.up("mika_")) await client.execute(statement);
    const adapter = createLibsqlRepositories({ client });
    expect((await adapter.migrate()).pending).toEqual([]);
  });
});

describe("rows written by other SQL", () => {
  it("reads a time stored as ISO text (not milliseconds) as the instant it names", async () => {
    const client = createClient({ url: ":memory:" });
    cleanups.push(() => client.close());
    const adapter = createLibsqlRepositories({ client });
    await adapter.migrate();
    await adapter.ops.enqueueEmail({ id: "e1", to: "a@example.test", subject: "s", now: NOW });
    await client.execute(
      "update mika_email_outbox set created_at = '2026-06-21T12:00:00+02:00' where id = 'e1'",
    );
    expect((await adapter.ops.getEmail("e1"))?.createdAt).toBe(NOW);
  });
});

describe("tablePrefix", () => {
  it("keeps two prefixes in one file apart", async () => {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.remove());
    const shop = createLibsqlRepositories({ url: temp.url, tablePrefix: "shop_" });
    const other = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => shop.close());
    cleanups.push(() => other.close());
    await shop.migrate();
    await other.migrate();
    await shop.ops.enqueueEmail({ id: "e1", to: "a@example.test", subject: "s", now: NOW });
    expect(await shop.ops.getEmail("e1")).toMatchObject({ id: "e1" });
    expect(await other.ops.getEmail("e1")).toBeNull();
    const reader = createClient({ url: temp.url });
    const tables = await reader.execute(
      "select name from sqlite_master where type = 'table' and name like 'shop\\_%' escape '\\'",
    );
    reader.close();
    expect(tables.rows.length).toBe(Object.keys(createMikaSqliteSchema("shop_")).length);
  });
});

describe("close()", () => {
  it("leaves a client the host passed in open", async () => {
    const client = createClient({ url: ":memory:" });
    cleanups.push(() => client.close());
    const adapter = createLibsqlRepositories({ client });
    await adapter.migrate();
    await adapter.close();
    expect(client.closed).toBe(false);
    expect((await client.execute("select count(*) as n from mika_migrations")).rows[0]?.n).toBe(
      MIKA_LIBSQL_MIGRATIONS.length,
    );
    const error = await caught(() => adapter.ops.getEmail("x"));
    expect(error.code).toBe("MIKA_LIBSQL_CLOSED");
  });

  it("closes the client it opened itself; later calls say the adapter is closed", async () => {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.remove());
    const adapter = createLibsqlRepositories({ url: temp.url });
    await adapter.migrate();
    await adapter.close();
    await adapter.close();
    const error = await caught(() => adapter.migrationStatus());
    expect(error.code).toBe("MIKA_LIBSQL_CLOSED");
    expect(error.message).toContain(temp.path);
  });

  it("opens nothing until the first call", async () => {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.remove());
    const adapter = createLibsqlRepositories({ url: temp.url });
    await adapter.close();
    expect(await readdir(temp.dir)).toEqual([]);
  });
});

describe("the embedded default", () => {
  it("createLibsqlRepositories() with no options uses ./mika-maintenance.db in WAL mode", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mika-libsql-default-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const status = fixtureOutput<{ pending: string[] }>(
      await runFixture("default-url", [], { cwd: dir }),
    );
    expect(status.pending).toEqual([]);
    expect(await readdir(dir)).toContain("mika-maintenance.db");
    const reader = createClient({ url: `file:${join(dir, "mika-maintenance.db")}` });
    const mode = await reader.execute("PRAGMA journal_mode");
    const emails = await reader.execute("select count(*) as n from mika_email_outbox");
    reader.close();
    expect(mode.rows[0]?.journal_mode).toBe("wal");
    expect(emails.rows[0]?.n).toBe(1);
  }, 60_000);
});

describe("a remote libSQL server", () => {
  it("sends the authToken as a bearer token to the URL it was given", async () => {
    const requests: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((request, response) => {
      requests.push({ url: request.url, headers: request.headers });
      request.resume();
      response.statusCode = 503;
      response.end("unavailable");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const adapter = createLibsqlRepositories({
      url: `http://127.0.0.1:${port}`,
      authToken: "secret-token",
    });
    cleanups.push(() => adapter.close());
    await expect(adapter.migrationStatus()).rejects.toThrow();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0]?.headers.authorization).toBe("Bearer secret-token");
  });
});
