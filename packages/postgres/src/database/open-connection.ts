import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { MikaResolvedPostgresOptions } from "../options.ts";
import { discardBrokenConnections } from "./discard-broken-connections.ts";

/** A Kysely instance over the host's connection source, and how to close what we opened. */
export interface OpenedConnection {
  // biome-ignore lint/suspicious/noExplicitAny: the host's instance may know other tables.
  db: Kysely<any>;
  close(): Promise<void>;
}

/**
 * Opens the connection source the options name. Only a `connectionString` makes the adapter
 * own a pool (ended on close); a host's `pool` or `db` is used and left open.
 */
export function openConnection(options: MikaResolvedPostgresOptions): OpenedConnection {
  if (options.db) return { db: options.db, close: async () => {} };
  if (options.pool) {
    // Kysely.destroy() would end the host's pool, so this instance is simply dropped on close.
    const dialect = new PostgresDialect({ pool: discardBrokenConnections(options.pool) });
    return { db: new Kysely({ dialect }), close: async () => {} };
  }
  const pool = new pg.Pool({ connectionString: options.connectionString });
  // An idle connection that dies is dropped by the pool and replaced on the next query; its
  // 'error' event must not reach the process as an unhandled error and crash the host.
  pool.on("error", () => {});
  const db = new Kysely({ dialect: new PostgresDialect({ pool: discardBrokenConnections(pool) }) });
  return { db, close: () => db.destroy() };
}
