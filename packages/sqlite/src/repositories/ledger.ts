import {
  createRandomId,
  type MikaLedgerRepository,
  type MikaOrderRecord,
} from "@mika-maintenance/core";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireInteger, requireText, requireTime } from "../input.ts";
import { changes, matchesSubject } from "./sql-helpers.ts";

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
      return database.run(async (db) => (await db.insert(t).values(row).returning())[0]!);
    },

    async getOrder(orderId) {
      return database.run(async (db) => {
        const [row] = await db.select().from(t).where(eq(t.id, orderId));
        return row ?? null;
      });
    },

    async anonymizeOrdersForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      const subject = matchesSubject(t, input);
      if (!subject) return 0;
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({
            // The buyer's identifying fields go; country, address lines for tax and amounts stay.
            customerSnapshot: sql`json_remove(${t.customerSnapshot}, '$.email', '$.name', '$.company', '$.vatId')`,
            emailHash: sentinel,
            userId: sentinel,
            anonymizedAt: now,
            updatedAt: now,
          })
          .where(and(isNull(t.anonymizedAt), subject));
        return changes(result);
      });
    },
  };
}
