import type { Kysely } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";

/**
 * Runs `work` in a transaction of its own, or inside the one `db` already is (the
 * one-transaction erasure calls the same port methods on a transaction's handle).
 */
export function transact<T>(
  db: Kysely<MikaPostgresDatabase>,
  work: (trx: Kysely<MikaPostgresDatabase>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
