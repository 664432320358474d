import type { ISODateTime } from "../time.ts";
import type { MikaBacklogFigure } from "./common.ts";

/** A stock-keeping unit and how much of it is on hand and held by reservations. */
export interface MikaStockItemRecord {
  id: string;
  quantityOnHand: number;
  quantityReserved: number;
  updatedAt: ISODateTime;
}

/**
 * `active` holds stock; `expired` was let go by maintenance (a late payment can still match
 * it); `released` was let go on purpose; `consumed` became a sale.
 */
export type MikaStockReservationStatus = "active" | "expired" | "released" | "consumed";

/** Stock held for a cart or checkout until `expiresAt`. */
export interface MikaStockReservationRecord {
  id: string;
  stockItemId: string;
  customerId: string | null;
  cartId: string | null;
  quantity: number;
  status: MikaStockReservationStatus;
  /** Deduplicates retried reserve calls; cleared when the reservation stops being active. */
  idempotencyKey: string | null;
  expiresAt: ISODateTime;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
  /** When it stopped holding stock (expired, released or consumed). */
  endedAt: ISODateTime | null;
}

/** What `reserveStock` takes: the item, the quantity and when the hold expires. */
export interface MikaReserveStockInput {
  id?: string;
  stockItemId: string;
  quantity: number;
  customerId?: string | null;
  cartId?: string | null;
  idempotencyKey?: string | null;
  expiresAt: ISODateTime;
  now: ISODateTime;
}

/** Counts from one release of expired stock reservations. */
export interface MikaReleaseExpiredReservationsResult {
  reservationsScanned: number;
  reservationsReleased: number;
  /** Distinct stock items whose `quantityReserved` changed. */
  stockItems: number;
  hasMore: boolean;
}

/** `repositories.stock`: stock items and reservations. */
export interface MikaStockRepository {
  /** Creates or updates a stock item's on-hand quantity (reserved quantity is kept). */
  upsertStockItem(input: {
    id: string;
    quantityOnHand: number;
    now: ISODateTime;
  }): Promise<MikaStockItemRecord>;
  getStockItem(stockItemId: string): Promise<MikaStockItemRecord | null>;
  /**
   * Reserves `quantity` when `quantityOnHand - quantityReserved >= quantity`, atomically.
   * A repeated `idempotencyKey` of an active reservation returns that reservation. `null` when
   * there is not enough stock or the item does not exist.
   */
  reserveStock(input: MikaReserveStockInput): Promise<MikaStockReservationRecord | null>;
  getReservation(reservationId: string): Promise<MikaStockReservationRecord | null>;
  /** Releases an active reservation (`released`); `null` when it was not active. */
  releaseReservation(input: {
    reservationId: string;
    now: ISODateTime;
  }): Promise<MikaStockReservationRecord | null>;
  /**
   * Releases up to `limit` active reservations with `expiresAt <= now`: status `expired`,
   * idempotency key cleared, and each stock item's `quantityReserved` lowered by the reserved
   * quantity, never below 0, in one transaction.
   */
  releaseExpiredReservations(input: {
    now: ISODateTime;
    limit: number;
  }): Promise<MikaReleaseExpiredReservationsResult>;
  /** Erasure: releases every active reservation of the customer; returns how many. */
  releaseActiveReservationsByCustomer(input: {
    customerId: string;
    now: ISODateTime;
  }): Promise<number>;
  /** Count and oldest `expiresAt` of active reservations already past expiry. */
  describeExpiredReservationBacklog(input: { now: ISODateTime }): Promise<MikaBacklogFigure>;
}
