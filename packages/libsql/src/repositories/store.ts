import type { MikaRepositories, MikaStorePort } from "@mika-maintenance/core";
import type { MikaDrizzle, MikaLibsqlDatabase } from "../database/libsql-database.ts";
import { createLibsqlAccount } from "./account.ts";
import { completeAccountDeleteRequestWithSteps } from "./account-delete-requests.ts";
import { createLibsqlAcpSessions } from "./acp-sessions.ts";
import { probeDueWork } from "./due-work.ts";
import { createLibsqlEphemeral } from "./ephemeral.ts";
import { createLibsqlLedger } from "./ledger.ts";
import { createLibsqlOps } from "./ops.ts";
import { createLibsqlSession } from "./session.ts";
import { createLibsqlStock } from "./stock.ts";

/** The ports an erasure uses, each over `database` (one open transaction, for the store). */
export function createErasurePorts(
  database: MikaLibsqlDatabase,
): Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session" | "acpSessions"
> {
  return {
    ephemeral: createLibsqlEphemeral(database),
    ops: createLibsqlOps(database),
    account: createLibsqlAccount(database),
    ledger: createLibsqlLedger(database),
    session: createLibsqlSession(database),
    stock: createLibsqlStock(database),
    acpSessions: createLibsqlAcpSessions(database),
  };
}

/**
 * The database as seen from inside one open write transaction: every call runs on it at once
 * (the transaction already holds the file's lock and the write lock), and a port's own
 * transaction becomes part of it.
 */
function insideTransaction(database: MikaLibsqlDatabase, db: MikaDrizzle): MikaLibsqlDatabase {
  return {
    tables: database.tables,
    tablePrefix: database.tablePrefix,
    run: (work) => work(db),
    transaction: (work) => work(db),
    label: () => database.label(),
    close: () => database.close(),
  };
}

/** `repositories.store`: the due-work probe and erasure transactions over one database. */
export function createLibsqlStore(
  database: MikaLibsqlDatabase,
  ownPorts: readonly object[],
): MikaStorePort {
  const served = new Set<unknown>(ownPorts);
  return {
    serves: (port) => served.has(port),
    probeDueWork: (input) => probeDueWork(database, input),
    transaction: (work) =>
      database.transaction((db) => {
        const bound = insideTransaction(database, db);
        return work({
          ...createErasurePorts(bound),
          completeAccountDeleteRequestWithSteps: (input) =>
            completeAccountDeleteRequestWithSteps(bound, input),
        });
      }),
  };
}
