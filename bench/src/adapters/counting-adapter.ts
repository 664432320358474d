import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { StoreTarget } from "./store.ts";

/** An adapter whose driver counts every call that goes to the database. */
export interface CountingAdapter {
  adapter: MikaStorageAdapter;
  /** Driver calls so far: pg `client.query`, libSQL `execute`/`batch`/`transaction`/… */
  roundTrips(): number;
  close(): Promise<void>;
}

const LIBSQL_CALLS = new Set(["execute", "batch", "executeMultiple", "transaction", "migrate"]);

/**
 * Opens an adapter on a driver the bench instruments, so round trips are counted where they
 * happen (one `pg` query, one libSQL client call), not inferred from port calls.
 */
export async function openCountingAdapter(target: StoreTarget): Promise<CountingAdapter> {
  let calls = 0;
  if (target.adapter === "postgres") {
    const pg = (await import("pg")).default;
    const { createPostgresRepositories } = await import("@mika-maintenance/postgres");
    const pool = new pg.Pool({ connectionString: target.connectionString, max: 10 });
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        calls += 1;
        return query(...args);
      };
    });
    const adapter = createPostgresRepositories({
      pool,
      schema: target.schema,
      tablePrefix: target.tablePrefix,
    });
    return {
      adapter,
      roundTrips: () => calls,
      async close() {
        await adapter.close();
        await pool.end();
      },
    };
  }
  const { createClient } = await import("@libsql/client");
  const { createLibsqlRepositories } = await import("@mika-maintenance/libsql");
  // The same settings the adapter gives a client it opens itself (busy timeout, one connection).
  const client = createClient({ url: target.url, timeout: 5_000, concurrency: 1 });
  const counted = new Proxy(client, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== "function") return value;
      if (!LIBSQL_CALLS.has(String(property))) return value.bind(object);
      return (...args: unknown[]) => {
        calls += 1;
        return value.apply(object, args);
      };
    },
  });
  const adapter = createLibsqlRepositories({ client: counted, tablePrefix: target.tablePrefix });
  return {
    adapter,
    roundTrips: () => calls,
    async close() {
      await adapter.close();
      client.close();
    },
  };
}
