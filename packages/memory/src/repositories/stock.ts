import type {
  ISODateTime,
  MikaStockItemRecord,
  MikaStockRepository,
  MikaStockReservationRecord,
} from "@mika-maintenance/core";
import { backlogFigure, copy, insertRow, readById, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

/** `repositories.stock`: stock items and the reservations that hold them. */
export function createMemoryStock(state: MemoryState): MikaStockRepository {
  const items = state.tables.stockItems;
  const reservations = state.tables.stockReservations;

  /**
   * Ends an active reservation and gives its quantity back, never below 0. Returns the stock
   * item it touched, if that item still exists.
   */
  function endReservation(
    reservation: MikaStockReservationRecord,
    status: "expired" | "released",
    now: ISODateTime,
  ): MikaStockItemRecord | undefined {
    reservation.status = status;
    reservation.idempotencyKey = null;
    reservation.endedAt = now;
    reservation.updatedAt = now;
    const item = items.get(reservation.stockItemId);
    if (item) {
      item.quantityReserved = Math.max(0, item.quantityReserved - reservation.quantity);
      item.updatedAt = now;
    }
    return item;
  }

  function expiredActive(now: ISODateTime): MikaStockReservationRecord[] {
    return sortRows(
      [...reservations.values()].filter(
        (reservation) => reservation.status === "active" && reservation.expiresAt <= now,
      ),
      (reservation) => [reservation.expiresAt, reservation.id],
    );
  }

  function activeByIdempotencyKey(key: string): MikaStockReservationRecord | undefined {
    for (const reservation of reservations.values()) {
      if (reservation.status === "active" && reservation.idempotencyKey === key) return reservation;
    }
    return undefined;
  }

  return {
    async upsertStockItem(input) {
      const now = portInput.requireTime(input.now, "now");
      const id = portInput.requireText(input.id, "id");
      const quantityOnHand = portInput.requireWholeNumber(
        input.quantityOnHand,
        "quantityOnHand",
        0,
      );
      const existing = items.get(id);
      if (existing) {
        existing.quantityOnHand = quantityOnHand;
        existing.updatedAt = now;
        return copy(existing);
      }
      const item: MikaStockItemRecord = { id, quantityOnHand, quantityReserved: 0, updatedAt: now };
      items.set(id, item);
      return copy(item);
    },

    getStockItem: readById(items),

    async reserveStock(input) {
      const now = portInput.requireTime(input.now, "now");
      const expiresAt = portInput.requireTime(input.expiresAt, "expiresAt");
      const quantity = portInput.requireWholeNumber(input.quantity, "quantity", 1);
      const idempotencyKey = input.idempotencyKey ?? null;
      if (idempotencyKey !== null) {
        const repeated = activeByIdempotencyKey(idempotencyKey);
        if (repeated) return copy(repeated);
      }
      const item = items.get(input.stockItemId);
      if (!item || item.quantityOnHand - item.quantityReserved < quantity) return null;
      const id = state.idFor(input.id, "id");
      const reservation: MikaStockReservationRecord = {
        id,
        stockItemId: item.id,
        customerId: input.customerId ?? null,
        cartId: input.cartId ?? null,
        quantity,
        status: "active",
        idempotencyKey,
        expiresAt,
        createdAt: now,
        updatedAt: now,
        endedAt: null,
      };
      insertRow(reservations, "stockReservations", id, reservation);
      item.quantityReserved += quantity;
      item.updatedAt = now;
      return copy(reservation);
    },

    getReservation: readById(reservations),

    async releaseReservation(input) {
      const now = portInput.requireTime(input.now, "now");
      const reservation = reservations.get(input.reservationId);
      if (reservation?.status !== "active") return null;
      endReservation(reservation, "released", now);
      return copy(reservation);
    },

    async releaseExpiredReservations(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit);
      const { batch, hasMore } = takeBatch(expiredActive(now), limit);
      const touched = new Set<string>();
      for (const reservation of batch) {
        const item = endReservation(reservation, "expired", now);
        if (item) touched.add(item.id);
      }
      return {
        reservationsScanned: batch.length,
        reservationsReleased: batch.length,
        stockItems: touched.size,
        hasMore,
      };
    },

    async releaseActiveReservationsByCustomer(input) {
      const now = portInput.requireTime(input.now, "now");
      let released = 0;
      for (const reservation of reservations.values()) {
        if (reservation.status !== "active" || reservation.customerId !== input.customerId)
          continue;
        endReservation(reservation, "released", now);
        released += 1;
      }
      return released;
    },

    async describeExpiredReservationBacklog(input) {
      const now = portInput.requireTime(input.now, "now");
      return backlogFigure(expiredActive(now).map((reservation) => reservation.expiresAt));
    },
  };
}
