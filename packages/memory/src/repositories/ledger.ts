import type { MikaLedgerRepository, MikaOrderRecord } from "@mika-maintenance/core";
import { copy, copyOrNull, insertRow } from "../database/rows.ts";
import { requireInteger, requireText, requireTime } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { matchesErasureSubject } from "./erasure-subject.ts";

/** The status of an order created without one. */
export const DEFAULT_ORDER_STATUS = "placed";

/** Snapshot fields that identify the buyer; an erasure removes them. */
const PERSONAL_SNAPSHOT_FIELDS = ["email", "name", "company", "vatId"] as const;

/** `repositories.ledger`: orders, kept for the ledger after their buyer is erased. */
export function createMemoryLedger(state: MemoryState): MikaLedgerRepository {
  const orders = state.tables.orders;

  return {
    async createOrder(input) {
      const now = requireTime(input.now, "now");
      requireInteger(input.totalMinor, "totalMinor");
      const id = state.idFor(input.id, "id");
      const order: MikaOrderRecord = {
        id,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        customerSnapshot: copy(input.customerSnapshot ?? {}),
        totalMinor: input.totalMinor,
        currency: requireText(input.currency, "currency"),
        status:
          input.status === undefined ? DEFAULT_ORDER_STATUS : requireText(input.status, "status"),
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      };
      return copy(insertRow(orders, "orders", id, order));
    },

    async getOrder(orderId) {
      return copyOrNull(orders.get(orderId));
    },

    async anonymizeOrdersForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      let changed = 0;
      for (const order of orders.values()) {
        if (order.anonymizedAt !== null || !matchesErasureSubject(order, input)) continue;
        for (const field of PERSONAL_SNAPSHOT_FIELDS) delete order.customerSnapshot[field];
        order.emailHash = sentinel;
        order.userId = sentinel;
        order.anonymizedAt = now;
        order.updatedAt = now;
        changed += 1;
      }
      return changed;
    },
  };
}
