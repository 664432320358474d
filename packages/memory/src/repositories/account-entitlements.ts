import type { MikaAccountRepository } from "@mika-maintenance/core";
import { copyOrNull, insertNew } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows } from "./erasure-subject.ts";

type EntitlementMethods = Pick<
  MikaAccountRepository,
  "createEntitlement" | "getEntitlement" | "anonymizeEntitlementsForAccountDelete"
>;

/** Entitlements of `repositories.account`. */
export function createMemoryEntitlements(state: MemoryState): EntitlementMethods {
  const entitlements = state.tables.entitlements;

  return {
    async createEntitlement(input) {
      return insertNew(state, "entitlements", input, (id, now) => ({
        id,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        productId: portInput.requireText(input.productId, "productId"),
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      }));
    },

    async getEntitlement(entitlementId) {
      return copyOrNull(entitlements.get(entitlementId));
    },

    async anonymizeEntitlementsForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      const sentinel = portInput.requireText(input.sentinel, "sentinel");
      return eraseSubjectRows(
        entitlements.values(),
        input,
        (entitlement) => entitlement.anonymizedAt === null,
        (entitlement) => {
          entitlement.emailHash = sentinel;
          entitlement.userId = sentinel;
          entitlement.anonymizedAt = now;
          entitlement.updatedAt = now;
        },
      );
    },
  };
}
