import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { StoreTarget } from "./store.ts";

/** What the driver did between two readings: calls to the database, commits, longest call. */
export interface DriverReading {
  /** Driver calls (pg `client.query`; libSQL `execute`/`batch`/`transaction` and calls on it). */
  roundTrips: number;
  /** Transactions committed: explicit COMMITs plus each statement run outside a transaction. */
  commits: number;
  /** The longest single call in milliseconds: the longest a statement held its locks. */
  longestCallMs: number;
}

/** An adapter on a driver the bench instruments, read and reset around each measured run. */
export interface MeteredAdapter {
  adapter: MikaStorageAdapter;
  /** Starts a new reading. */
  reset(): void;
  read(): DriverReading;
  close(): Promise<void>;
}

const LIBSQL_CALLS = new Set(["execute", "batch", "executeMultiple", "transaction", "migrate"]);

/**
 * Opens an adapter whose driver counts round trips and commits where they happen (one `pg`
 * query, one libSQL call), so the report states them as measured, not as estimated.
 */
export async function openMeteredAdapter(target: StoreTarget): Promise<MeteredAdapter> {
  let reading: DriverReading = { roundTrips: 0, commits: 0, longestCallMs: 0 };
  const timed = async <T>(call: () => Promise<T>, commits: number): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      reading.roundTrips += 1;
      reading.commits += commits;
      reading.longestCallMs = Math.max(reading.longestCallMs, performance.now() - started);
    }
  };
  const meter = {
    reset: () => {
      reading = { roundTrips: 0, commits: 0, longestCallMs: 0 };
    },
    read: () => ({ ...reading }),
  };
  if (target.adapter === "postgres") {
    const pg = (await import("pg")).default;
    const { createPostgresRepositories } = await import("@mika-maintenance/postgres");
    const pool = new pg.Pool({ connectionString: target.connectionString, max: 10 });
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      let inTransaction = false;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const text = String(
          typeof args[0] === "string" ? args[0] : (args[0] as { text?: string }).text,
        )
          .trimStart()
          .toLowerCase();
        let commits = 0;
        if (/^(begin|start transaction)/.test(text)) inTransaction = true;
        else if (/^(commit|end)\b/.test(text)) {
          inTransaction = false;
          commits = 1;
        } else if (/^rollback\b/.test(text)) inTransaction = false;
        else if (!inTransaction) commits = 1;
        return timed(() => query(...args), commits);
      };
    });
    const adapter = createPostgresRepositories({
      pool,
      schema: target.schema,
      tablePrefix: target.tablePrefix,
    });
    return { adapter, ...meter, close: () => adapter.close().then(() => pool.end()) };
  }
  const { createClient } = await import("@libsql/client");
  const { createLibsqlRepositories } = await import("@mika-maintenance/libsql");
  // The settings the adapter gives a client it opens itself (busy timeout, one connection).
  const client = createClient({ url: target.url, timeout: 5_000, concurrency: 1 });
  const metered = <T extends object>(object: T, inTransaction: boolean): T =>
    new Proxy(object, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        const name = String(property);
        if (inTransaction && (name === "execute" || name === "batch" || name === "rollback")) {
          return (...args: unknown[]) => timed(() => value.apply(target, args), 0);
        }
        if (inTransaction && name === "commit") {
          return (...args: unknown[]) => timed(() => value.apply(target, args), 1);
        }
        if (!inTransaction && LIBSQL_CALLS.has(name)) {
          return (...args: unknown[]) =>
            name === "transaction"
              ? timed(() => value.apply(target, args), 0).then((transaction) =>
                  metered(transaction as object, true),
                )
              : timed(() => value.apply(target, args), name === "migrate" ? 0 : 1);
        }
        return value.bind(target);
      },
    });
  const adapter = createLibsqlRepositories({
    client: metered(client, false),
    tablePrefix: target.tablePrefix,
  });
  return { adapter, ...meter, close: () => adapter.close().then(() => client.close()) };
}
