import type { MikaStockRepository, MikaStockReservationRecord } from "@mika-maintenance/core";
import { expect } from "vitest";
import { at, DAY, T0 } from "./clock.ts";
import { uniqueId } from "./ids.ts";

/** Creates a stock item with `quantityOnHand` units and nothing reserved. */
export async function seedStockItem(stock: MikaStockRepository, quantityOnHand = 1_000) {
  return stock.upsertStockItem({ id: uniqueId("sku"), quantityOnHand, now: at(-DAY) });
}

/** Reserves stock (created a day ago), failing the test when the reservation is refused. */
export async function seedReservation(
  stock: MikaStockRepository,
  input: { stockItemId: string; quantity: number; expiresAt: string; customerId?: string },
): Promise<MikaStockReservationRecord> {
  const reservation = await stock.reserveStock({
    id: uniqueId("res"),
    idempotencyKey: uniqueId("idem"),
    cartId: uniqueId("cart"),
    now: at(-DAY, T0),
    ...input,
  });
  expect(reservation, `reservation on ${input.stockItemId}`).not.toBeNull();
  return reservation!;
}
