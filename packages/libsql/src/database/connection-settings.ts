import type { Client } from "@libsql/client";
import { isBusyError } from "./map-error.ts";

/**
 * The WAL file is truncated back to this size after a checkpoint has reset it, so a burst of
 * writes does not leave a large file behind. SQLite checkpoints (passively) every 1000 pages.
 */
export const MIKA_LIBSQL_JOURNAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Per-connection settings, applied again whenever the connection is reopened. An owned local
 * client has one connection, so they hold for all of its work.
 */
export async function configureConnection(
  client: Client,
  synchronous: "full" | "normal" | null,
): Promise<void> {
  await client.execute(`PRAGMA journal_size_limit = ${MIKA_LIBSQL_JOURNAL_SIZE_LIMIT_BYTES}`);
  await client.execute("PRAGMA wal_autocheckpoint = 1000");
  if (synchronous === "normal") await client.execute("PRAGMA synchronous = NORMAL");
}

/**
 * True when the failed statement can have been left unfinished on its connection: SQLite's
 * busy and locked errors, including "cannot commit transaction - SQL statements in progress".
 */
export function leftConnectionBroken(error: unknown): boolean {
  return isBusyError(error);
}
