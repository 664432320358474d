import type { MikaAccountRepository, MikaEntitlementRecord } from "@mika-maintenance/core";
import { copy, copyOrNull, insertRow } from "../database/rows.ts";
import { requireText, requireTime } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { matchesErasureSubject } from "./erasure-subject.ts";

type EntitlementMethods = Pick<
  MikaAccountRepository,
  "createEntitlement" | "getEntitlement" | "anonymizeEntitlementsForAccountDelete"
>;

/** Entitlements of `repositories.account`. */
export function createMemoryEntitlements(state: MemoryState): EntitlementMethods {
  const entitlements = state.tables.entitlements;

  return {
    async createEntitlement(input) {
      const now = requireTime(input.now, "now");
      const id = state.idFor(input.id, "id");
      const entitlement: MikaEntitlementRecord = {
        id,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        productId: requireText(input.productId, "productId"),
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      };
      return copy(insertRow(entitlements, "entitlements", id, entitlement));
    },

    async getEntitlement(entitlementId) {
      return copyOrNull(entitlements.get(entitlementId));
    },

    async anonymizeEntitlementsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      let changed = 0;
      for (const entitlement of entitlements.values()) {
        if (entitlement.anonymizedAt !== null || !matchesErasureSubject(entitlement, input)) {
          continue;
        }
        entitlement.emailHash = sentinel;
        entitlement.userId = sentinel;
        entitlement.anonymizedAt = now;
        entitlement.updatedAt = now;
        changed += 1;
      }
      return changed;
    },
  };
}
