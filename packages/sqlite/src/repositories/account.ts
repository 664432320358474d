import {
  createRandomId,
  type MikaAccountRepository,
  type MikaCustomerRecord,
  type MikaEntitlementRecord,
  type MikaLicenseRecord,
} from "@mika-maintenance/core";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireOneOf, requireString, requireText, requireTime } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { SUBSCRIPTION_STATUSES } from "../statuses.ts";
import { insertRow, rowById } from "./rows.ts";
import { changes, updateSubjectRows } from "./sql-helpers.ts";

const PROFILE_FIELDS = ["userId", "email", "emailHash", "name", "company", "vatId"] as const;

/** `repositories.account`: customers, subscriptions, entitlements and licenses. */
export function createSqliteAccount(database: MikaSqliteDatabase): MikaAccountRepository {
  const { customers, subscriptions, entitlements, licenses } = database.tables;

  return {
    async upsertCustomer(input) {
      const now = requireTime(input.now, "now");
      const id = requireText(input.id, "id");
      const row: MikaCustomerRecord = {
        id,
        userId: input.userId ?? null,
        email: input.email ?? null,
        emailHash: input.emailHash ?? null,
        name: input.name ?? null,
        company: input.company ?? null,
        vatId: input.vatId ?? null,
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      };
      // Fields left out of the input keep their stored value; an explicit null clears one.
      const changed: Partial<MikaCustomerRecord> = { updatedAt: now };
      for (const field of PROFILE_FIELDS) {
        const value = input[field];
        if (value !== undefined) changed[field] = value;
      }
      return database.run(async (db) => {
        const [stored] = await db
          .insert(customers)
          .values(row)
          .onConflictDoUpdate({ target: customers.id, set: changed })
          .returning();
        return stored!;
      });
    },

    async getCustomer(customerId) {
      return rowById(database, customers, customerId);
    },

    async upsertSubscription(input) {
      const now = requireTime(input.now, "now");
      const row = {
        id: requireText(input.id, "id"),
        customerId: requireText(input.customerId, "customerId"),
        status: requireOneOf(input.status, SUBSCRIPTION_STATUSES, "status"),
        productId: requireText(input.productId, "productId"),
        createdAt: now,
        updatedAt: now,
      };
      return database.run(async (db) => {
        const [stored] = await db
          .insert(subscriptions)
          .values(row)
          .onConflictDoUpdate({
            target: subscriptions.id,
            set: {
              customerId: row.customerId,
              status: row.status,
              productId: row.productId,
              updatedAt: now,
            },
          })
          .returning();
        return stored!;
      });
    },

    async listSubscriptionsByCustomer(input) {
      return database.run((db) =>
        db
          .select()
          .from(subscriptions)
          .where(eq(subscriptions.customerId, input.customerId))
          .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id)),
      );
    },

    async createEntitlement(input) {
      const now = requireTime(input.now, "now");
      const row: MikaEntitlementRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        productId: requireText(input.productId, "productId"),
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      };
      return insertRow(database, entitlements, row);
    },

    async getEntitlement(entitlementId) {
      return database.run(async (db) => {
        const [row] = await db
          .select()
          .from(entitlements)
          .where(eq(entitlements.id, entitlementId));
        return row ?? null;
      });
    },

    async createLicense(input) {
      const now = requireTime(input.now, "now");
      const row: MikaLicenseRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        keyHash: requireText(input.keyHash, "keyHash"),
        displaySuffix: requireString(input.displaySuffix, "displaySuffix"),
        status: "active",
        revokedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      return insertRow(database, licenses, row);
    },

    async getLicense(licenseId) {
      return rowById(database, licenses, licenseId);
    },

    async anonymizeEntitlementsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      return updateSubjectRows(
        database,
        entitlements,
        input,
        { emailHash: sentinel, userId: sentinel, anonymizedAt: now, updatedAt: now },
        isNull(entitlements.anonymizedAt),
      );
    },

    async anonymizeLicensesForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      const redactedKeyHash = sql`${sentinel} || ':' || ${licenses.id}`;
      return updateSubjectRows(
        database,
        licenses,
        input,
        {
          keyHash: redactedKeyHash,
          displaySuffix: "redacted",
          status: "revoked",
          revokedAt: sql`coalesce(${licenses.revokedAt}, ${toStoredTime(now)})`,
          emailHash: sentinel,
          userId: sentinel,
          updatedAt: now,
        },
        // A license already carrying this erasure's key hash has no real key left.
        sql`${licenses.keyHash} <> ${redactedKeyHash}`,
      );
    },

    async anonymizeCustomerForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      if (!input.customerId) return 0;
      const customerId = input.customerId;
      return database.run(async (db) => {
        const result = await db
          .update(customers)
          .set({
            email: null,
            name: null,
            company: null,
            vatId: null,
            emailHash: sentinel,
            userId: sentinel,
            anonymizedAt: now,
            updatedAt: now,
          })
          .where(and(eq(customers.id, customerId), isNull(customers.anonymizedAt)));
        return changes(result);
      });
    },
  };
}
