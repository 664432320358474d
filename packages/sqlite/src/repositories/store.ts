import type {
  MikaErasureTransactionPorts,
  MikaRepositories,
  MikaStorePort,
} from "@mika-maintenance/core";
import type { MikaSqliteDatabase, MikaSqliteDrizzle } from "../database.ts";
import { createSqliteAccount } from "./account.ts";
import { completeAccountDeleteRequestWithSteps } from "./account-delete-requests.ts";
import { createSqliteAcpSessions } from "./acp-sessions.ts";
import { probeDueWork } from "./due-work.ts";
import { createSqliteEphemeral } from "./ephemeral.ts";
import { createSqliteLedger } from "./ledger.ts";
import { createSqliteOps } from "./ops.ts";
import { createSqliteSession } from "./session.ts";
import { createSqliteStock } from "./stock.ts";

/** The ports an erasure uses, each over `database` (one open transaction, for the store). */
export function createErasurePorts(
  database: MikaSqliteDatabase,
): Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session" | "acpSessions"
> {
  return {
    ephemeral: createSqliteEphemeral(database),
    ops: createSqliteOps(database),
    account: createSqliteAccount(database),
    ledger: createSqliteLedger(database),
    session: createSqliteSession(database),
    stock: createSqliteStock(database),
    acpSessions: createSqliteAcpSessions(database),
  };
}

/**
 * The database as seen from inside one open write transaction: every call runs on it at once
 * (the transaction already holds the file's lock and the write lock), and a port's own
 * transaction becomes part of it.
 */
function insideTransaction(
  database: MikaSqliteDatabase,
  db: MikaSqliteDrizzle,
): MikaSqliteDatabase {
  return {
    tables: database.tables,
    tablePrefix: database.tablePrefix,
    errors: database.errors,
    run: (work) => work(db),
    transaction: (work) => work(db),
    label: () => database.label(),
    close: () => database.close(),
  };
}

/**
 * `repositories.store`: the due-work probe over one database and, where the driver has
 * interactive transactions (libSQL, not D1), erasures in one transaction.
 */
export function createSqliteStore(
  database: MikaSqliteDatabase,
  ownPorts: readonly object[],
): MikaStorePort {
  const served = new Set<unknown>(ownPorts);
  const transaction = database.transaction;
  return {
    serves: (port) => served.has(port),
    probeDueWork: (input) => probeDueWork(database, input),
    ...(transaction && {
      transaction: <T>(work: (ports: MikaErasureTransactionPorts) => Promise<T>) =>
        transaction((db) => {
          const bound = insideTransaction(database, db);
          return work({
            ...createErasurePorts(bound),
            completeAccountDeleteRequestWithSteps: (input) =>
              completeAccountDeleteRequestWithSteps(bound, input),
          });
        }),
    }),
  };
}
