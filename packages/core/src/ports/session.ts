import type { ISODateTime } from "../time.ts";

/** `checkout_pending` blocks an erasure: money may be moving. */
export type MikaCartStatus = "open" | "checkout_pending" | "completed" | "abandoned";

/** A shopping cart, as the session port stores it. */
export interface MikaCartRecord {
  id: string;
  customerId: string | null;
  status: MikaCartStatus;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
}

/** `repositories.session`: carts and checkout sessions of the storefront. */
export interface MikaSessionRepository {
  upsertCart(input: {
    id: string;
    customerId?: string | null;
    status: MikaCartStatus;
    now: ISODateTime;
  }): Promise<MikaCartRecord>;
  getCart(cartId: string): Promise<MikaCartRecord | null>;
  /** The customer's carts in `checkout_pending`. */
  listCheckoutPendingCartsByCustomer(input: { customerId: string }): Promise<MikaCartRecord[]>;
}
