import type { ISODateTime } from "../time.ts";
import type { MikaErasureSubject } from "./email-outbox.ts";

/** A customer profile. Email, name, company and VAT id are personal data. */
export interface MikaCustomerRecord {
  id: string;
  userId: string | null;
  email: string | null;
  emailHash: string | null;
  name: string | null;
  company: string | null;
  vatId: string | null;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
  anonymizedAt: ISODateTime | null;
}

/** What `account.upsertCustomer` stores: a customer and the identifiers erasure matches on. */
export interface MikaUpsertCustomerInput {
  id: string;
  userId?: string | null;
  email?: string | null;
  emailHash?: string | null;
  name?: string | null;
  company?: string | null;
  vatId?: string | null;
  now: ISODateTime;
}

/** Subscription statuses; only `cancelled` and `expired` let an erasure proceed. */
export type MikaSubscriptionStatus =
  | "active"
  | "trialing"
  | "past_due"
  | "paused"
  | "cancelled"
  | "expired";

/** A customer's subscription, as the account port stores it. */
export interface MikaSubscriptionRecord {
  id: string;
  customerId: string;
  status: MikaSubscriptionStatus;
  productId: string;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
}

/** A right to a product (download, seat) granted to a customer, user or email. */
export interface MikaEntitlementRecord {
  id: string;
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
  productId: string;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
  anonymizedAt: ISODateTime | null;
}

/** Whether a license key still grants access. */
export type MikaLicenseStatus = "active" | "revoked";

/** A license key issued to a customer; only its hash and a display suffix are stored. */
export interface MikaLicenseRecord {
  id: string;
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
  keyHash: string;
  displaySuffix: string;
  status: MikaLicenseStatus;
  revokedAt: ISODateTime | null;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
}

/** The subject of an anonymization, plus the sentinel that replaces its identifiers. */
export interface MikaAnonymizeInput extends MikaErasureSubject {
  sentinel: string;
  now: ISODateTime;
}

/** `repositories.account`: customers, subscriptions, entitlements and licenses. */
export interface MikaAccountRepository {
  upsertCustomer(input: MikaUpsertCustomerInput): Promise<MikaCustomerRecord>;
  getCustomer(customerId: string): Promise<MikaCustomerRecord | null>;
  upsertSubscription(input: {
    id: string;
    customerId: string;
    status: MikaSubscriptionStatus;
    productId: string;
    now: ISODateTime;
  }): Promise<MikaSubscriptionRecord>;
  listSubscriptionsByCustomer(input: { customerId: string }): Promise<MikaSubscriptionRecord[]>;
  createEntitlement(input: {
    id?: string;
    customerId?: string | null;
    userId?: string | null;
    emailHash?: string | null;
    productId: string;
    now: ISODateTime;
  }): Promise<MikaEntitlementRecord>;
  getEntitlement(entitlementId: string): Promise<MikaEntitlementRecord | null>;
  createLicense(input: {
    id?: string;
    customerId?: string | null;
    userId?: string | null;
    emailHash?: string | null;
    keyHash: string;
    displaySuffix: string;
    now: ISODateTime;
  }): Promise<MikaLicenseRecord>;
  getLicense(licenseId: string): Promise<MikaLicenseRecord | null>;
  /**
   * Erasure: entitlements matching the subject that are not anonymized yet get `emailHash` and
   * `userId` replaced by the sentinel and `anonymizedAt = now`. Returns rows changed.
   */
  anonymizeEntitlementsForAccountDelete(input: MikaAnonymizeInput): Promise<number>;
  /**
   * Erasure: licenses matching the subject that still carry a real key hash get `keyHash`
   * replaced by `<sentinel>:<licenseId>`, `displaySuffix = "redacted"`, status `revoked`
   * (`revokedAt` kept if already set), and `emailHash`/`userId` replaced by the sentinel.
   */
  anonymizeLicensesForAccountDelete(input: MikaAnonymizeInput): Promise<number>;
  /**
   * Erasure: the customer (by `customerId`) loses email, name, company and VAT id; email hash
   * and user id become the sentinel; `anonymizedAt = now`. Returns 1, or 0 when missing or
   * already anonymized.
   */
  anonymizeCustomerForAccountDelete(input: MikaAnonymizeInput): Promise<number>;
}
