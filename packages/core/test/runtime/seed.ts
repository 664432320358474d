import type { MikaMemoryAdapter } from "../../../memory/src/index.ts";
import { addMilliseconds } from "../../src/index.ts";
import { START } from "./harness.ts";

/** Reserves one unit per reservation across `items` stock items, each expiring at its offset. */
export async function seedReservations(
  repositories: MikaMemoryAdapter,
  expiresInMs: number[],
  items = 3,
): Promise<void> {
  for (let item = 0; item < items; item++) {
    await repositories.stock.upsertStockItem({
      id: `sku-${item}`,
      quantityOnHand: 100_000,
      now: START,
    });
  }
  for (const [index, offset] of expiresInMs.entries()) {
    const reserved = await repositories.stock.reserveStock({
      stockItemId: `sku-${index % items}`,
      quantity: 1,
      cartId: `cart-${index}`,
      expiresAt: addMilliseconds(START, offset),
      now: START,
    });
    if (!reserved) throw new Error(`could not reserve stock for cart-${index}`);
  }
}

/** Queues `count` emails due now. */
export async function seedEmails(repositories: MikaMemoryAdapter, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    await repositories.ops.enqueueEmail({
      to: `shopper-${index}@example.com`,
      subject: `Order ${index} confirmed`,
      text: "Thanks for your order.",
      now: START,
    });
  }
}
