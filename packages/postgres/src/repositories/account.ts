import {
  createRandomId,
  type MikaAccountRepository,
  type MikaCustomerRecord,
  type MikaEntitlementRecord,
  type MikaLicenseRecord,
  type MikaLicenseStatus,
  type MikaSubscriptionRecord,
  type MikaSubscriptionStatus,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type {
  CustomersTable,
  EntitlementsTable,
  LicensesTable,
  SubscriptionsTable,
} from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { subjectOf, timestampsOf, toIsoOrNull } from "./convert.ts";
import {
  anonymizeSubjectRows,
  erasureMatch,
  hasErasureSubject,
  subjectColumns,
} from "./erasure.ts";
import { findById } from "./find-by-id.ts";

function toCustomer(row: Selectable<CustomersTable>): MikaCustomerRecord {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    emailHash: row.email_hash,
    name: row.name,
    company: row.company,
    vatId: row.vat_id,
    ...timestampsOf(row),
    anonymizedAt: toIsoOrNull(row.anonymized_at),
  };
}

function toSubscription(row: Selectable<SubscriptionsTable>): MikaSubscriptionRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as MikaSubscriptionStatus,
    productId: row.product_id,
    ...timestampsOf(row),
  };
}

function toEntitlement(row: Selectable<EntitlementsTable>): MikaEntitlementRecord {
  return {
    id: row.id,
    ...subjectOf(row),
    productId: row.product_id,
    ...timestampsOf(row),
    anonymizedAt: toIsoOrNull(row.anonymized_at),
  };
}

function toLicense(row: Selectable<LicensesTable>): MikaLicenseRecord {
  return {
    id: row.id,
    ...subjectOf(row),
    keyHash: row.key_hash,
    displaySuffix: row.display_suffix,
    status: row.status as MikaLicenseStatus,
    revokedAt: toIsoOrNull(row.revoked_at),
    ...timestampsOf(row),
  };
}

/** Keeps only the fields the caller actually gave, so an upsert never blanks what it omits. */
function definedFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** `repositories.account`: customers, subscriptions, entitlements and licenses. */
export function createPostgresAccount({ db }: PostgresRepositoryContext): MikaAccountRepository {
  return {
    async upsertCustomer(input) {
      const now = portInput.requireTime(input.now, "now");
      const given = definedFields({
        user_id: input.userId,
        email: input.email,
        email_hash: input.emailHash,
        name: input.name,
        company: input.company,
        vat_id: input.vatId,
      });
      const row = await db
        .insertInto("customers")
        .values({
          id: input.id,
          user_id: null,
          email: null,
          email_hash: null,
          name: null,
          company: null,
          vat_id: null,
          ...given,
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) => conflict.column("id").doUpdateSet({ ...given, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCustomer(row);
    },

    async getCustomer(customerId) {
      const row = await findById(db, "customers", customerId);
      return row ? toCustomer(row) : null;
    },

    async upsertSubscription(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("subscriptions")
        .values({
          id: input.id,
          customer_id: input.customerId,
          status: input.status,
          product_id: input.productId,
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) =>
          conflict.column("id").doUpdateSet({
            customer_id: input.customerId,
            status: input.status,
            product_id: input.productId,
            updated_at: now,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSubscription(row);
    },

    async listSubscriptionsByCustomer(input) {
      const rows = await db
        .selectFrom("subscriptions")
        .selectAll()
        .where("customer_id", "=", input.customerId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toSubscription);
    },

    async createEntitlement(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("entitlements")
        .values({
          id: input.id ?? createRandomId(),
          ...subjectColumns(input),
          product_id: input.productId,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntitlement(row);
    },

    async getEntitlement(entitlementId) {
      const row = await findById(db, "entitlements", entitlementId);
      return row ? toEntitlement(row) : null;
    },

    async createLicense(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("licenses")
        .values({
          id: input.id ?? createRandomId(),
          ...subjectColumns(input),
          key_hash: input.keyHash,
          display_suffix: input.displaySuffix,
          status: "active",
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLicense(row);
    },

    async getLicense(licenseId) {
      const row = await findById(db, "licenses", licenseId);
      return row ? toLicense(row) : null;
    },

    async anonymizeEntitlementsForAccountDelete(input) {
      return anonymizeSubjectRows(db, "entitlements", input);
    },

    async anonymizeLicensesForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      const now = portInput.requireTime(input.now, "now");
      const redactedKey = sql<string>`${input.sentinel}::text || ':' || id`;
      const result = await db
        .updateTable("licenses")
        .set({
          key_hash: redactedKey,
          display_suffix: "redacted",
          status: "revoked",
          revoked_at: sql<string>`coalesce(revoked_at, ${now}::timestamptz)`,
          email_hash: input.sentinel,
          user_id: input.sentinel,
          updated_at: now,
        })
        .where(sql<boolean>`key_hash <> ${input.sentinel}::text || ':' || id`)
        .where((eb) => erasureMatch(eb, input))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async anonymizeCustomerForAccountDelete(input) {
      if (!input.customerId) return 0;
      const now = portInput.requireTime(input.now, "now");
      const result = await db
        .updateTable("customers")
        .set({
          email: null,
          name: null,
          company: null,
          vat_id: null,
          email_hash: input.sentinel,
          user_id: input.sentinel,
          anonymized_at: now,
          updated_at: now,
        })
        .where("id", "=", input.customerId)
        .where("anonymized_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
