import { redactErrorSecrets } from "@mika-maintenance/core";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type { Pool, PoolClient } from "pg";

/** SQLSTATEs after which the server has closed (or is closing) the session. */
const SESSION_ENDING_STATE = /^(?:08|57P0[1-3])/;
const SESSION_ENDING_MESSAGE = /connection terminated|not queryable|ECONNRESET|EPIPE/i;

/** True when `error` means the connection is gone, not merely that one statement failed. */
export function isConnectionLost(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && SESSION_ENDING_STATE.test(code)) return true;
  return typeof message === "string" && SESSION_ENDING_MESSAGE.test(message);
}

const ignore = () => {};

/**
 * Wraps a pg pool for Kysely so a connection that died under a query (server restart,
 * failover, `pg_terminate_backend`) is destroyed on release instead of going back to the pool,
 * where the next task would pick it up and fail too. While the adapter holds a connection it
 * also absorbs that connection's late 'error' event, which would otherwise crash the process.
 * Every error it passes on has its passwords and tokens masked (`redactErrorSecrets`).
 */
export function discardBrokenConnections(pool: Pool): PostgresPool {
  const lost = new WeakSet<PoolClient>();
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();

  function wrap(client: PoolClient): PostgresPoolClient {
    const existing = wrappers.get(client);
    if (existing) return existing;
    const wrapper = {
      get processID() {
        return (client as PoolClient & { processID?: number }).processID;
      },
      async query(sql: string, parameters: ReadonlyArray<unknown>) {
        try {
          return await client.query(sql, parameters as unknown[]);
        } catch (error) {
          if (isConnectionLost(error)) lost.add(client);
          throw redactErrorSecrets(error);
        }
      },
      release(destroy?: boolean) {
        client.removeListener("error", ignore);
        client.release(Boolean(destroy) || lost.has(client));
      },
    } as unknown as PostgresPoolClient & {
      query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
    };
    wrappers.set(client, wrapper);
    return wrapper;
  }

  return {
    get Client() {
      return (pool as Pool & { Client?: PostgresPool["Client"] }).Client;
    },
    get options() {
      return pool.options;
    },
    async connect() {
      // A failed connect may quote the connection string (host, options, credentials).
      const client = await pool.connect().catch((error: unknown) => {
        throw redactErrorSecrets(error);
      });
      client.on("error", ignore);
      return wrap(client);
    },
    end: () => pool.end(),
  };
}
