import type { MikaAccountDeleteStepName } from "../ports/account-delete-requests.ts";
import type { MikaAccountDeleteStepCounts, MikaStorePort } from "../ports/store.ts";
import type { MikaAccountDeleteRepositories } from "./account-delete-repositories.ts";

/** A store that can erase in one transaction, and serves every port this erasure uses. */
export type MikaErasureStore = Required<Pick<MikaStorePort, "serves" | "transaction">>;

/**
 * The store to erase through in one transaction, or `undefined` for the step-by-step path:
 * only when it has `transaction` and serves every port the erasure would otherwise call
 * (ACP sessions included: a host's own ACP store, or none, keeps the step-by-step path so
 * that the erasure reaches exactly the same rows either way).
 */
export function oneTransactionStore(
  repositories: MikaAccountDeleteRepositories,
): MikaErasureStore | undefined {
  const store = repositories.store;
  if (typeof store?.transaction !== "function" || typeof store.serves !== "function") {
    return undefined;
  }
  const ports = [
    repositories.ops,
    repositories.ephemeral,
    repositories.stock,
    repositories.account,
    repositories.ledger,
    repositories.session,
    repositories.acpSessions,
  ];
  return ports.every((port) => port !== undefined && store.serves(port))
    ? (store as MikaErasureStore)
    : undefined;
}

/** Thrown inside the transaction to roll it back when another runner completed the request. */
export class ErasureLostRace extends Error {
  constructor() {
    super("Another runner completed this account-delete request first.");
    this.name = "ErasureLostRace";
  }
}

/** What the one-transaction path reports back: the counts it committed, in step order. */
export interface ErasureCommitted {
  counts: MikaAccountDeleteStepCounts;
  stepsRun: MikaAccountDeleteStepName[];
}
