import type { MikaLicenseStatus, MikaSubscriptionStatus } from "@mika-maintenance/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime } from "./columns.ts";

/** Customer profiles; email, name, company and VAT id are personal data. */
export function customersTable(prefix: string) {
  return sqliteTable(`${prefix}customers`, {
    id: text("id").primaryKey(),
    userId: text("user_id"),
    email: text("email"),
    emailHash: text("email_hash"),
    name: text("name"),
    company: text("company"),
    vatId: text("vat_id"),
    createdAt: isoTime("created_at").notNull(),
    updatedAt: isoTime("updated_at").notNull(),
    anonymizedAt: isoTime("anonymized_at"),
  });
}

/** Subscriptions; a live one blocks an erasure. */
export function subscriptionsTable(prefix: string) {
  const name = `${prefix}subscriptions`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      customerId: text("customer_id").notNull(),
      status: text("status").$type<MikaSubscriptionStatus>().notNull(),
      productId: text("product_id").notNull(),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
    },
    (t) => [index(`${name}_customer_idx`).on(t.customerId, t.createdAt, t.id)],
  );
}

/** Rights to products granted to a customer, user or email. */
export function entitlementsTable(prefix: string) {
  const name = `${prefix}entitlements`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      productId: text("product_id").notNull(),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
      anonymizedAt: isoTime("anonymized_at"),
    },
    (t) => [
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}

/** License keys (hash and display suffix only). */
export function licensesTable(prefix: string) {
  const name = `${prefix}licenses`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      keyHash: text("key_hash").notNull(),
      displaySuffix: text("display_suffix").notNull(),
      status: text("status").$type<MikaLicenseStatus>().notNull(),
      revokedAt: isoTime("revoked_at"),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
    },
    (t) => [
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}
