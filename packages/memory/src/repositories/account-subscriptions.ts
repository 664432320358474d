import type { MikaAccountRepository, MikaSubscriptionRecord } from "@mika-maintenance/core";
import { MIKA_SUBSCRIPTION_STATUSES } from "@mika-maintenance/core";
import { copy, sortRows } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

type SubscriptionMethods = Pick<
  MikaAccountRepository,
  "upsertSubscription" | "listSubscriptionsByCustomer"
>;

/** Subscriptions of `repositories.account`; a live one blocks an erasure. */
export function createMemorySubscriptions(state: MemoryState): SubscriptionMethods {
  const subscriptions = state.tables.subscriptions;

  return {
    async upsertSubscription(input) {
      const now = portInput.requireTime(input.now, "now");
      const id = portInput.requireText(input.id, "id");
      const customerId = portInput.requireText(input.customerId, "customerId");
      const status = portInput.requireOneOf(input.status, MIKA_SUBSCRIPTION_STATUSES, "status");
      const productId = portInput.requireText(input.productId, "productId");
      const existing = subscriptions.get(id);
      const subscription: MikaSubscriptionRecord = {
        id,
        customerId,
        status,
        productId,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      subscriptions.set(id, subscription);
      return copy(subscription);
    },

    async listSubscriptionsByCustomer(input) {
      return sortRows(
        [...subscriptions.values()].filter((row) => row.customerId === input.customerId),
        (row) => [row.createdAt, row.id],
      ).map(copy);
    },
  };
}
