import type { MikaRepositories, MikaStorePort } from "@mika-maintenance/core";
import { createPostgresAccount } from "./account.ts";
import { completeAccountDeleteRequestWithSteps } from "./account-delete-requests.ts";
import { createPostgresAcpSessions } from "./acp-sessions.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { probeDueWork } from "./due-work.ts";
import { createPostgresEphemeral } from "./ephemeral.ts";
import { createPostgresLedger } from "./ledger.ts";
import { createPostgresOps } from "./ops.ts";
import { createPostgresSession } from "./session.ts";
import { createPostgresStock } from "./stock.ts";

/** The ports an erasure uses, each over `context` (a transaction's handle, for the store). */
export function createErasurePorts(
  context: PostgresRepositoryContext,
): Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session" | "acpSessions"
> {
  return {
    ops: createPostgresOps(context),
    ephemeral: createPostgresEphemeral(context),
    stock: createPostgresStock(context),
    account: createPostgresAccount(context),
    ledger: createPostgresLedger(context),
    session: createPostgresSession(context),
    acpSessions: createPostgresAcpSessions(context),
  };
}

/** `repositories.store`: the due-work probe and erasure transactions over one database. */
export function createPostgresStore(
  context: PostgresRepositoryContext,
  ownPorts: readonly object[],
): MikaStorePort {
  const served = new Set<unknown>(ownPorts);
  return {
    serves: (port) => served.has(port),
    probeDueWork: (input) => probeDueWork(context, input),
    transaction: (work) =>
      context.db.transaction().execute((trx) => {
        const bound = { ...context, db: trx };
        return work({
          ...createErasurePorts(bound),
          completeAccountDeleteRequestWithSteps: (input) =>
            completeAccountDeleteRequestWithSteps(bound, input),
        });
      }),
  };
}
