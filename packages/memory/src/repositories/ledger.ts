import type { MikaLedgerRepository } from "@mika-maintenance/core";
import { copy, insertNew, readById } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { anonymizeSubjectRows, subjectColumns } from "./erasure-subject.ts";

/** The status of an order created without one. */
export const DEFAULT_ORDER_STATUS = "placed";

/** Snapshot fields that identify the buyer; an erasure removes them. */
const PERSONAL_SNAPSHOT_FIELDS = ["email", "name", "company", "vatId"] as const;

/** `repositories.ledger`: orders, kept for the ledger after their buyer is erased. */
export function createMemoryLedger(state: MemoryState): MikaLedgerRepository {
  const orders = state.tables.orders;

  return {
    async createOrder(input) {
      return insertNew(state, "orders", input, (id) => ({
        id,
        ...subjectColumns(input),
        customerSnapshot: copy(input.customerSnapshot ?? {}),
        totalMinor: portInput.requireInteger(input.totalMinor, "totalMinor"),
        currency: portInput.requireText(input.currency, "currency"),
        status:
          input.status === undefined
            ? DEFAULT_ORDER_STATUS
            : portInput.requireText(input.status, "status"),
        anonymizedAt: null,
      }));
    },

    getOrder: readById(orders),

    async anonymizeOrdersForAccountDelete(input) {
      return anonymizeSubjectRows(orders.values(), input, (order) => {
        for (const field of PERSONAL_SNAPSHOT_FIELDS) delete order.customerSnapshot[field];
      });
    },
  };
}
