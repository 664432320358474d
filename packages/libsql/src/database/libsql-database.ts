import { type Client, createClient } from "@libsql/client";
import {
  createMikaSqliteSchema,
  type MikaSqliteDatabase,
  type MikaSqliteDrizzle,
} from "@mika-maintenance/sqlite";
import { drizzle } from "drizzle-orm/libsql";
import { MikaLibsqlError, MikaLibsqlRowsBreakMigrationError } from "../errors.ts";
import { isRemoteUrl, type MikaResolvedLibsqlOptions } from "../options.ts";
import { type AsyncLock, lockForClient, lockForFile } from "./async-lock.ts";
import { NATIVE_BUSY_WAIT_MS, retryWhileBusy } from "./busy-retry.ts";
import { configureConnection, leftConnectionBroken } from "./connection-settings.ts";
import { databaseLabel } from "./database-label.ts";
import { type MikaErrorContext, toMikaLibsqlError } from "./map-error.ts";

/**
 * The adapter's one way into the database: opens the client lazily, configures it once,
 * serializes same-file work inside this process, retries whole attempts while another process
 * holds the file's lock, and turns driver errors into `MikaLibsqlError`s naming the database.
 * Its `transaction` takes the write lock up front (`BEGIN IMMEDIATE`), so it never fails
 * half-way on a lock upgrade.
 */
export interface MikaLibsqlDatabase extends MikaSqliteDatabase {
  transaction<T>(work: (db: MikaSqliteDrizzle) => Promise<T>): Promise<T>;
}

interface OpenDatabase {
  client: Client;
  db: MikaSqliteDrizzle;
  /** Present for local databases: same-file work of this process runs one at a time. */
  lock: AsyncLock | null;
  /** The file behind a local database; `""` for memory and remote databases. */
  path: string;
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
        // A local file's busy wait runs inside the synchronous native call and blocks the
        // event loop, so SQLite waits only briefly and retryWhileBusy waits the rest.
        timeout: isRemoteUrl(options.url) ? options.busyTimeoutMs : NATIVE_BUSY_WAIT_MS,
        // Local work of this adapter runs one call at a time (see lockForFile), so one
        // connection, with one warm page cache, is all a local client needs.
        ...(isRemoteUrl(options.url) ? {} : { concurrency: 1 }),
      });
    } else {
      client = options.client;
    }
    const opened = client;
    if (opened.protocol !== "file")
      return { client: opened, db: asMikaDrizzle(opened), lock: null, path: "" };

    // Under the client's lock: on a shared `:memory:` client another adapter may be mid-call.
    const list = await lockForClient(opened).run(() => opened.execute("PRAGMA database_list"));
    const main = list.rows.find((row) => row.name === "main");
    const path = typeof main?.file === "string" ? main.file : "";
    if (path) context.database = path;
    else if (!owned) context.database = ":memory:";
    // A file is shared by every client of this process that opens it; an in-memory database
    // lives on its client's single connection, so every adapter on that client takes turns.
    const lock = path ? lockForFile(path) : lockForClient(opened);
    if (path) {
      await lock.run(async () => {
        await useWriteAheadLog(opened);
        await configureConnection(opened, synchronous);
      });
    }
    return { client: opened, db: asMikaDrizzle(opened), lock, path };
  }

  const synchronous = options.kind === "url" ? options.synchronous : null;

  /**
   * A statement that failed with SQLITE_BUSY stays unfinished on its connection (libSQL does
   * not reset it): from then on that connection's writes never commit, hold the write lock
   * against every other process, and roll back when it closes. Reopening the connections
   * drops it (rolling back whatever it left open) before anything else runs on it.
   */
  async function resetConnection(open: OpenDatabase): Promise<void> {
    if (!open.path) return;
    await open.client.reconnect();
    await configureConnection(open.client, synchronous);
  }

  /** One attempt under this process's lock of the file; a broken connection is reset in it. */
  async function attempt<T>(open: OpenDatabase, work: (open: OpenDatabase) => Promise<T>) {
    try {
      return await work(open);
    } catch (error) {
      if (leftConnectionBroken(error)) await resetConnection(open);
      throw error;
    }
  }

  /** One try at opening; a failed try leaves no broken connection behind. */
  async function openOnce(): Promise<OpenDatabase> {
    try {
      return await open();
    } catch (error) {
      const opened = client;
      if (owned) {
        opened?.close();
        client = null;
      } else if (opened?.protocol === "file" && leftConnectionBroken(error)) {
        // Only a file can be locked; a `:memory:` client is never reopened (its data would go).
        await opened.reconnect();
      }
      throw error;
    }
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
      // Switching a new file to WAL needs it unlocked: another process may be doing the same.
      opening = retryWhileBusy(openOnce, options.busyTimeoutMs).catch((error: unknown) => {
        // A failed open is retried by the next call (the file may have been fixed meanwhile).
        opening = null;
        throw error;
      });
    }
    return opening;
  }

  async function guarded<T>(work: (open: OpenDatabase) => Promise<T>): Promise<T> {
    try {
      const open = await ready();
      // The lock is held for one attempt only: other calls of this process (a leadership
      // renewal) go between the retries of a call that keeps finding the file locked.
      const once = () =>
        open.lock ? open.lock.run(() => attempt(open, work)) : attempt(open, work);
      return await retryWhileBusy(once, options.busyTimeoutMs);
    } catch (error) {
      throw toMikaLibsqlError(error, context);
    }
  }

  return {
    tables: createMikaSqliteSchema(options.tablePrefix),
    tablePrefix: options.tablePrefix,
    errors: {
      schemaTooNew: (unknown) =>
        new MikaLibsqlError(
          "MIKA_LIBSQL_SCHEMA_TOO_NEW",
          context.database,
          `The database ${JSON.stringify(context.database)} has migrations this version of ` +
            `@mika-maintenance/libsql does not know (${unknown.join(", ")}); a newer version ` +
            "migrated it. Upgrade the package instead of running an older one against it.",
        ),
      rowsBreakMigration: (migration, violations, more) =>
        new MikaLibsqlRowsBreakMigrationError(context.database, migration, violations, more),
    },
    run: (work) => guarded((open) => work(open.db)),
    transaction: (work) =>
      guarded(async (open) => {
        const transaction = await open.client.transaction("write");
        try {
          const result = await work(asMikaDrizzle(transaction as unknown as Client));
          await transaction.commit();
          return result;
        } finally {
          // Rolls back when commit was not reached; a no-op after a commit. On a connection a
          // locked statement broke, the rollback fails too: the error that matters is the
          // first one, and the connection is reset because of it.
          try {
            transaction.close();
          } catch {}
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

/** libSQL's drizzle handle, typed as the driver-neutral one the shared repositories use. */
function asMikaDrizzle(client: Client): MikaSqliteDrizzle {
  return drizzle({ client }) as unknown as MikaSqliteDrizzle;
}
