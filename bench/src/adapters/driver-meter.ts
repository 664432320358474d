import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { StoreTarget } from "./store.ts";

/** What the driver did between two readings: calls to the database, commits, longest call. */
export interface DriverReading {
  /** Driver calls (pg `client.query`; libSQL `execute`/`batch`/`transaction` and calls on it). */
  roundTrips: number;
  /**
   * Write transactions committed (each one a durable flush): a COMMIT after at least one
   * writing statement, plus each writing statement run outside a transaction. Reads outside a
   * transaction, and read-only transactions, commit nothing to disk and are not counted.
   */
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
 * Whether a statement writes, by its text: anything but a plain read (`select`, `show`,
 * `explain`, `set`, `pragma`, or a `with` whose CTEs do not modify data).
 */
export function writes(sqlText: string): boolean {
  const text = sqlText.trimStart().toLowerCase();
  if (/^with\b/.test(text)) return /\b(insert|update|delete)\b/.test(text);
  return !/^(select|show|explain|set|pragma|values)\b/.test(text);
}

/** The SQL text of a pg `query` or libSQL `execute` argument. */
function statementText(statement: unknown): string {
  if (typeof statement === "string") return statement;
  const object = statement as { text?: unknown; sql?: unknown } | null;
  return String(object?.text ?? object?.sql ?? "");
}

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
      let wrote = false;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const text = statementText(args[0]).trimStart().toLowerCase();
        let commits = 0;
        if (/^(begin|start transaction)/.test(text)) {
          inTransaction = true;
          wrote = false;
        } else if (/^(commit|end)\b/.test(text)) {
          inTransaction = false;
          commits = wrote ? 1 : 0;
        } else if (/^rollback\b/.test(text)) inTransaction = false;
        else if (!writes(text)) commits = 0;
        else if (inTransaction) wrote = true;
        else commits = 1;
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
  const batchWrites = (args: unknown[]) =>
    args[1] !== "read" &&
    Array.isArray(args[0]) &&
    (args[0] as unknown[]).some((statement) => writes(statementText(statement)));
  const meteredTransaction = <T extends object>(transaction: T): T => {
    let wrote = false;
    return new Proxy(transaction, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        const name = String(property);
        const call = (args: unknown[]) => () => value.apply(target, args);
        if (name === "execute" || name === "batch") {
          return (...args: unknown[]) => {
            if (name === "execute" ? writes(statementText(args[0])) : batchWrites(args)) {
              wrote = true;
            }
            return timed(call(args), 0);
          };
        }
        if (name === "rollback") return (...args: unknown[]) => timed(call(args), 0);
        if (name === "commit") return (...args: unknown[]) => timed(call(args), wrote ? 1 : 0);
        return value.bind(target);
      },
    });
  };
  const meteredClient = <T extends object>(client: T): T =>
    new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        const name = String(property);
        if (!LIBSQL_CALLS.has(name)) return value.bind(target);
        return (...args: unknown[]) => {
          const call = () => value.apply(target, args);
          if (name === "transaction") {
            return timed(call, 0).then((transaction) => meteredTransaction(transaction as object));
          }
          const commits =
            name === "execute"
              ? Number(writes(statementText(args[0])))
              : name === "batch"
                ? Number(batchWrites(args))
                : name === "executeMultiple"
                  ? 1
                  : 0;
          return timed(call, commits);
        };
      },
    });
  const adapter = createLibsqlRepositories({
    client: meteredClient(client),
    tablePrefix: target.tablePrefix,
  });
  return { adapter, ...meter, close: () => adapter.close().then(() => client.close()) };
}
