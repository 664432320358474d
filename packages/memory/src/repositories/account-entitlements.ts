import type { MikaAccountRepository } from "@mika-maintenance/core";
import { insertNew, readById } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { anonymizeSubjectRows, subjectColumns } from "./erasure-subject.ts";

type EntitlementMethods = Pick<
  MikaAccountRepository,
  "createEntitlement" | "getEntitlement" | "anonymizeEntitlementsForAccountDelete"
>;

/** Entitlements of `repositories.account`. */
export function createMemoryEntitlements(state: MemoryState): EntitlementMethods {
  const entitlements = state.tables.entitlements;

  return {
    async createEntitlement(input) {
      return insertNew(state, "entitlements", input, (id) => ({
        id,
        ...subjectColumns(input),
        productId: portInput.requireText(input.productId, "productId"),
        anonymizedAt: null,
      }));
    },

    getEntitlement: readById(entitlements),

    async anonymizeEntitlementsForAccountDelete(input) {
      return anonymizeSubjectRows(entitlements.values(), input);
    },
  };
}
