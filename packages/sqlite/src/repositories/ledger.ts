import {
  createRandomId,
  type MikaLedgerRepository,
  type MikaOrderRecord,
} from "@mika-maintenance/core";
import { isNull, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireInteger, requireText, requireTime } from "../input.ts";
import { insertRow, rowById } from "./rows.ts";
import { updateSubjectRows } from "./sql-helpers.ts";

/** The status of an order created without one. */
export const DEFAULT_ORDER_STATUS = "placed";

/** `repositories.ledger`: orders, kept for the ledger after their buyer is erased. */
export function createSqliteLedger(database: MikaSqliteDatabase): MikaLedgerRepository {
  const t = database.tables.orders;

  return {
    async createOrder(input) {
      const now = requireTime(input.now, "now");
      requireInteger(input.totalMinor, "totalMinor");
      const row: MikaOrderRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        customerSnapshot: input.customerSnapshot ?? {},
        totalMinor: input.totalMinor,
        currency: requireText(input.currency, "currency"),
        status:
          input.status === undefined ? DEFAULT_ORDER_STATUS : requireText(input.status, "status"),
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      };
      return insertRow(database, t, row);
    },

    async getOrder(orderId) {
      return rowById(database, t, orderId);
    },

    async anonymizeOrdersForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      return updateSubjectRows(
        database,
        t,
        input,
        {
          // The buyer's identifying fields go; country, address lines for tax and amounts stay.
          customerSnapshot: sql`json_remove(${t.customerSnapshot}, '$.email', '$.name', '$.company', '$.vatId')`,
          emailHash: sentinel,
          userId: sentinel,
          anonymizedAt: now,
          updatedAt: now,
        },
        isNull(t.anonymizedAt),
      );
    },
  };
}
