import { createClient } from "@libsql/client";
import type { MikaConformanceStore } from "@mika-maintenance/adapter-tests";
import { createLibsqlRepositories } from "../../src/index.ts";
import { dumpTables } from "./dump-tables.ts";
import { createTempDatabase } from "./temp-database.ts";

/**
 * A fresh libSQL file per store: the adapter opens its own client by URL, `connect()` opens
 * further independent clients on the same file, and the dump reads through yet another one.
 */
export async function createFileStore(): Promise<MikaConformanceStore> {
  const temp = await createTempDatabase();
  const adapter = createLibsqlRepositories({ url: temp.url });
  await adapter.migrate();
  const reader = createClient({ url: temp.url });
  return {
    repositories: adapter,
    dumpTables: () => dumpTables(reader),
    async connect() {
      const other = createLibsqlRepositories({ url: temp.url });
      return { repositories: other, close: () => other.close() };
    },
    async close() {
      await adapter.close();
      reader.close();
      await temp.remove();
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
    dumpTables: () => dumpTables(client),
    async close() {
      await adapter.close();
      client.close();
    },
  };
}
