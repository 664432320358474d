import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { MikaLibsqlError } from "../errors.ts";
import { isRemoteUrl, type MikaResolvedLibsqlOptions } from "../options.ts";
import { createMikaSqliteSchema, type MikaSqliteSchema } from "../schema/create-schema.ts";
import { type AsyncLock, lockForClient, lockForFile } from "./async-lock.ts";
import { databaseLabel } from "./database-label.ts";
import { isBusyError, type MikaErrorContext, toMikaLibsqlError } from "./map-error.ts";

/** The drizzle handle every repository query goes through. */
export type MikaDrizzle = LibSQLDatabase;

/**
 * The adapter's one way into the database: opens the client lazily, configures it once,
 * serializes same-file work inside this process, and turns driver errors into
 * `MikaLibsqlError`s naming the database.
 */
export interface MikaLibsqlDatabase {
  readonly tables: MikaSqliteSchema;
  readonly tablePrefix: string;
  /** Runs statements that are each atomic on their own (reads, single compare-and-set writes). */
  run<T>(work: (db: MikaDrizzle) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in a write transaction that takes the write lock up front
   * (`BEGIN IMMEDIATE`), so it never fails half-way on a lock upgrade; rolled back on error.
   */
  transaction<T>(work: (db: MikaDrizzle) => Promise<T>): Promise<T>;
  /** The database as error messages name it (file path, `:memory:` or URL). */
  label(): string;
  /** Closes the client when the adapter opened it; later calls fail with `MIKA_LIBSQL_CLOSED`. */
  close(): Promise<void>;
}

interface OpenDatabase {
  client: Client;
  db: MikaDrizzle;
  /** Present for local databases: same-file work of this process runs one at a time. */
  lock: AsyncLock | null;
}

/** Creates the database context; nothing is opened until the first call. */
export function createLibsqlDatabase(options: MikaResolvedLibsqlOptions): MikaLibsqlDatabase {
  const owned = options.kind === "url";
  const context: MikaErrorContext = {
    database: owned ? databaseLabel(options.url) : "the database of the given libSQL client",
    tablePrefix: options.tablePrefix,
    busyTimeoutMs: options.busyTimeoutMs,
  };
  let opening: Promise<OpenDatabase> | null = null;
  let client: Client | null = null;
  let closed = false;

  async function open(): Promise<OpenDatabase> {
    if (options.kind === "url") {
      client = createClient({
        url: options.url,
        ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
        // SQLite's busy_timeout on every connection the client opens: another process's
        // write lock is waited for instead of failing at once with SQLITE_BUSY.
        timeout: options.busyTimeoutMs,
        // Local work of this adapter runs one call at a time (see lockForFile), so one
        // connection, with one warm page cache, is all a local client needs.
        ...(isRemoteUrl(options.url) ? {} : { concurrency: 1 }),
      });
    } else {
      client = options.client;
    }
    const opened = client;
    if (opened.protocol !== "file")
      return { client: opened, db: drizzle({ client: opened }), lock: null };

    // Under the client's lock: on a shared `:memory:` client another adapter may be mid-call.
    const list = await lockForClient(opened).run(() => opened.execute("PRAGMA database_list"));
    const main = list.rows.find((row) => row.name === "main");
    const path = typeof main?.file === "string" ? main.file : "";
    if (path) context.database = path;
    else if (!owned) context.database = ":memory:";
    // A file is shared by every client of this process that opens it; an in-memory database
    // lives on its client's single connection, so every adapter on that client takes turns.
    const lock = path ? lockForFile(path) : lockForClient(opened);
    if (path) await lock.run(() => useWriteAheadLog(opened));
    // A per-connection setting: it holds because an owned local client has one connection.
    if (path && options.kind === "url" && options.synchronous === "normal") {
      await opened.execute("PRAGMA synchronous = NORMAL");
    }
    return { client: opened, db: drizzle({ client: opened }), lock };
  }

  function ready(): Promise<OpenDatabase> {
    if (closed) {
      return Promise.reject(
        new MikaLibsqlError(
          "MIKA_LIBSQL_CLOSED",
          context.database,
          `The libSQL adapter of ${JSON.stringify(context.database)} was closed; create a new one.`,
        ),
      );
    }
    if (!opening) {
      opening = open().catch((error: unknown) => {
        // A failed open is retried by the next call (the file may have been fixed meanwhile).
        opening = null;
        if (owned && client) client.close();
        client = null;
        throw error;
      });
    }
    return opening;
  }

  async function guarded<T>(work: (open: OpenDatabase) => Promise<T>): Promise<T> {
    try {
      const open = await ready();
      const attempt = () => (open.lock ? open.lock.run(() => work(open)) : work(open));
      return owned ? await attempt() : await retryWhileBusy(attempt, options.busyTimeoutMs);
    } catch (error) {
      throw toMikaLibsqlError(error, context);
    }
  }

  return {
    tables: createMikaSqliteSchema(options.tablePrefix),
    tablePrefix: options.tablePrefix,
    run: (work) => guarded((open) => work(open.db)),
    transaction: (work) =>
      guarded(async (open) => {
        const transaction = await open.client.transaction("write");
        try {
          const result = await work(drizzle({ client: transaction as unknown as Client }));
          await transaction.commit();
          return result;
        } finally {
          // Rolls back when commit was not reached; a no-op after a commit.
          transaction.close();
        }
      }),
    label: () => context.database,
    async close() {
      if (closed) return;
      closed = true;
      const pending = opening;
      opening = null;
      if (!owned) return;
      await pending?.catch(() => undefined);
      client?.close();
      client = null;
    },
  };
}

async function useWriteAheadLog(client: Client): Promise<void> {
  const current = await client.execute("PRAGMA journal_mode");
  if (String(current.rows[0]?.journal_mode).toLowerCase() === "wal") return;
  try {
    await client.execute("PRAGMA journal_mode = WAL");
  } catch (error) {
    // A read-only file cannot switch modes; reads still work, writes report the read-only file.
    if (!/READONLY/.test(String((error as { code?: unknown }).code))) throw error;
  }
}

/**
 * Retries an operation that found the database locked, for clients the host created (their
 * connections may have no busy timeout). A locked statement changed nothing, and a
 * transaction that hit the lock was rolled back, so running it again is safe.
 */
async function retryWhileBusy<T>(operation: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let delayMs = 2;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 50);
    }
  }
}
