import type { MikaStorageAdapter } from "@mika-maintenance/core";

/** A little of everything `once` moves: expired reservations, due emails, expired tokens. */
export async function seedSweepable(store: MikaStorageAdapter): Promise<void> {
  const now = new Date();
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
  await store.stock.upsertStockItem({ id: "sku-mug", quantityOnHand: 10, now: at(-3_600_000) });
  for (let index = 0; index < 3; index++) {
    await store.stock.reserveStock({
      stockItemId: "sku-mug",
      quantity: 1,
      cartId: `cart-${index}`,
      expiresAt: at(-60_000 * (index + 1)),
      now: at(-3_600_000),
    });
  }
  for (let index = 0; index < 5; index++) {
    await store.ops.enqueueEmail({
      to: `shopper-${index}@example.com`,
      subject: `Order #${index} confirmed`,
      text: "Thanks!",
      now: at(-120_000),
    });
  }
  for (let index = 0; index < 10; index++) {
    await store.ephemeral.putEphemeralRecord({
      kind: "nonce",
      key: `nonce-${index}`,
      expiresAt: at(-1_000),
      now: at(-60_000),
    });
  }
}
