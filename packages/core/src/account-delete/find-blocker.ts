import type { MikaAccountDeleteRequestRecord } from "../ports/account-delete-requests.ts";
import type { MikaAccountDeleteRepositories } from "./account-delete-repositories.ts";

const ENDED_SUBSCRIPTION_STATUSES = new Set(["cancelled", "expired"]);

/**
 * Why an erasure may not start yet, as a message naming the blocker; `null` when nothing
 * blocks it. Only customers can hold subscriptions or carts.
 */
export async function findAccountDeleteBlocker(
  repositories: MikaAccountDeleteRepositories,
  request: MikaAccountDeleteRequestRecord,
): Promise<string | null> {
  const customerId = request.customerId;
  if (!customerId) return null;
  const subscriptions = await repositories.account.listSubscriptionsByCustomer({ customerId });
  const live = subscriptions.find((s) => !ENDED_SUBSCRIPTION_STATUSES.has(s.status));
  if (live) {
    return `Account delete blocked: subscription ${live.id} is ${live.status}; cancel it (or let it expire) before the account can be erased.`;
  }
  const carts = await repositories.session.listCheckoutPendingCartsByCustomer({ customerId });
  const cart = carts[0];
  if (cart) {
    return `Account delete blocked: cart ${cart.id} is pending checkout; finish or abandon the checkout before the account can be erased.`;
  }
  return null;
}
