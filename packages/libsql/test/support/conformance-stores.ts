import { type Client, createClient } from "@libsql/client";
import { type MikaConformanceStore, malformedWriteTarget } from "@mika-maintenance/adapter-tests";
import { createSqliteBackdoor } from "@mika-maintenance/sqlite/testing";
import { createLibsqlRepositories } from "../../src/index.ts";
import { startFakeHranaServer } from "./fake-hrana-server.ts";
import { createTempDatabase } from "./temp-database.ts";

/**
 * A fresh libSQL file per store: the adapter opens its own client by URL, `connect()` opens
 * further independent clients on the same file, and the dump reads through yet another one.
 */
export async function createFileStore(): Promise<MikaConformanceStore> {
  const temp = await createTempDatabase();
  return storeOnFile(
    temp,
    () => createLibsqlRepositories({ url: temp.url }),
    () => temp.remove(),
  );
}

/**
 * A store on the file `temp`: `open` makes each connection (the store's own and `connect()`'s)
 * and the backdoor reads the file through a client of its own; `cleanUp` runs after closing.
 */
async function storeOnFile(
  temp: { url: string },
  open: () => MikaConformanceStore["repositories"] & {
    migrate(): Promise<unknown>;
    close(): Promise<void>;
  },
  cleanUp: () => Promise<void>,
): Promise<MikaConformanceStore> {
  const adapter = open();
  await adapter.migrate();
  const reader = createClient({ url: temp.url });
  return {
    repositories: adapter,
    ...backdoorThrough(reader),
    async connect() {
      const other = open();
      return { repositories: other, close: () => other.close() };
    },
    async close() {
      await adapter.close();
      reader.close();
      await cleanUp();
    },
  };
}

/**
 * A fresh `:memory:` database per store, through a client the test owns (the adapter must
 * leave it open). A memory database lives on one connection, so there is no `connect()`.
 */
export async function createMemoryStore(): Promise<MikaConformanceStore> {
  const client = createClient({ url: ":memory:" });
  const adapter = createLibsqlRepositories({ client });
  await adapter.migrate();
  return {
    repositories: adapter,
    ...backdoorThrough(client),
    async close() {
      await adapter.close();
      client.close();
    },
  };
}

/**
 * A fresh file behind a libSQL server speaking Hrana over HTTP (a small in-process stand-in
 * for sqld): the adapter talks to it by URL with an auth token, as to Turso.
 */
export async function createRemoteStore(): Promise<MikaConformanceStore> {
  const temp = await createTempDatabase();
  // WAL, as sqld runs its databases; set once, it stays with the file.
  const setup = createClient({ url: temp.url });
  await setup.execute("PRAGMA journal_mode = WAL");
  setup.close();
  const server = await startFakeHranaServer(temp.path);
  const open = () => createLibsqlRepositories({ url: server.url, authToken: "test-token" });
  return storeOnFile(temp, open, async () => {
    await server.close();
    if ([...server.tokens].some((token) => token !== "Bearer test-token")) {
      throw new Error(`A request reached the server without the token: ${[...server.tokens]}`);
    }
    await temp.remove();
  });
}

/** The conformance backdoor (dump, malformed writes) through the test's own libSQL client. */
function backdoorThrough(client: Client) {
  return createSqliteBackdoor(async (sql, args = []) => {
    const result = await client.execute({ sql, args: args as never });
    return {
      rows: result.rows as unknown as Record<string, unknown>[],
      changes: result.rowsAffected,
    };
  }, malformedWriteTarget);
}
