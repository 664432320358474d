import type { ISODateTime } from "../time.ts";
import type { MikaAnonymizeInput } from "./account.ts";

/** The buyer as captured on an order. Email, name, company and VAT id are personal data. */
export interface MikaOrderCustomerSnapshot {
  email?: string | null;
  name?: string | null;
  company?: string | null;
  vatId?: string | null;
  country?: string | null;
  [field: string]: unknown;
}

/** An order, kept for the ledger even after its buyer is erased. */
export interface MikaOrderRecord {
  id: string;
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
  customerSnapshot: MikaOrderCustomerSnapshot;
  totalMinor: number;
  currency: string;
  status: string;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
  anonymizedAt: ISODateTime | null;
}

/** What `createOrder` takes. */
export interface MikaCreateOrderInput {
  id?: string;
  customerId?: string | null;
  userId?: string | null;
  emailHash?: string | null;
  customerSnapshot?: MikaOrderCustomerSnapshot;
  totalMinor: number;
  currency: string;
  status?: string;
  now: ISODateTime;
}

/** `repositories.ledger`: orders. */
export interface MikaLedgerRepository {
  createOrder(input: MikaCreateOrderInput): Promise<MikaOrderRecord>;
  getOrder(orderId: string): Promise<MikaOrderRecord | null>;
  /**
   * Erasure: orders matching the subject that are not anonymized yet keep their amounts, but
   * the snapshot loses email, name, company and VAT id, `emailHash` and `userId` become the
   * sentinel, `anonymizedAt = now`. Returns rows changed.
   */
  anonymizeOrdersForAccountDelete(input: MikaAnonymizeInput): Promise<number>;
}
