import type { MikaCartRecord, MikaSessionRepository } from "@mika-maintenance/core";
import { MIKA_CART_STATUSES } from "@mika-maintenance/core";
import { copy, readById, sortRows } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

/** `repositories.session`: storefront carts. */
export function createMemorySession(state: MemoryState): MikaSessionRepository {
  const carts = state.tables.carts;

  return {
    async upsertCart(input) {
      const now = portInput.requireTime(input.now, "now");
      const id = portInput.requireText(input.id, "id");
      const status = portInput.requireOneOf(input.status, MIKA_CART_STATUSES, "status");
      const existing = carts.get(id);
      const cart: MikaCartRecord = {
        id,
        // Left out, the customer stays as stored; an explicit null detaches the cart.
        customerId:
          input.customerId === undefined ? (existing?.customerId ?? null) : input.customerId,
        status,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      carts.set(id, cart);
      return copy(cart);
    },

    getCart: readById(carts),

    async listCheckoutPendingCartsByCustomer(input) {
      return sortRows(
        [...carts.values()].filter(
          (cart) => cart.customerId === input.customerId && cart.status === "checkout_pending",
        ),
        (cart) => [cart.createdAt, cart.id],
      ).map(copy);
    },
  };
}
