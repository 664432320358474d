import type { MikaRepositories, MikaStorePort } from "@mika-maintenance/core";
import { createAccountRepository } from "./account.ts";
import { completeAccountDeleteRequestWithSteps } from "./account-delete-requests.ts";
import { createAcpSessionStore } from "./acp-sessions.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { probeDueWork } from "./due-work.ts";
import { createEphemeralRepository } from "./ephemeral.ts";
import { createLedgerRepository } from "./ledger.ts";
import { createOpsRepository } from "./ops.ts";
import { createSessionRepository } from "./session.ts";
import { createStockRepository } from "./stock.ts";

/** The ports an erasure uses, each over `context` (a transaction's handle, for the store). */
export function createErasurePorts(
  context: PostgresRepositoryContext,
): Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session" | "acpSessions"
> {
  return {
    ops: createOpsRepository(context),
    ephemeral: createEphemeralRepository(context),
    stock: createStockRepository(context),
    account: createAccountRepository(context),
    ledger: createLedgerRepository(context),
    session: createSessionRepository(context),
    acpSessions: createAcpSessionStore(context),
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
