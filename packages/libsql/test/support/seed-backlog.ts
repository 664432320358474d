import type { MikaStorageAdapter } from "@mika-maintenance/core";

/** What a seeded backlog holds, to check a drain against. */
export interface SeededBacklog {
  emailIds: string[];
  expiredReservationIds: string[];
  /** Stock item id → quantity its live reservations still hold. */
  liveQuantityByItem: Map<string, number>;
}

/**
 * Seeds `emails` due emails and `reservations` expired reservations spread over `items` stock
 * items (each item also keeps one live reservation), all due at `now`.
 */
export async function seedBacklog(
  adapter: MikaStorageAdapter,
  input: { emails: number; reservations: number; items: number; now: string },
): Promise<SeededBacklog> {
  const at = (offsetMs: number) => new Date(Date.parse(input.now) + offsetMs).toISOString();
  const emailIds: string[] = [];
  for (let index = 0; index < input.emails; index += 1) {
    const email = await adapter.ops.enqueueEmail({
      id: `email-${String(index).padStart(5, "0")}`,
      to: `buyer${index}@example.test`,
      subject: `Order ${index}`,
      now: at(-input.emails + index),
    });
    emailIds.push(email.id);
  }
  const liveQuantityByItem = new Map<string, number>();
  for (let item = 0; item < input.items; item += 1) {
    const id = `sku-${item}`;
    await adapter.stock.upsertStockItem({ id, quantityOnHand: 1_000_000, now: at(-3_600_000) });
    const live = await adapter.stock.reserveStock({
      stockItemId: id,
      quantity: 7 + item,
      expiresAt: at(3_600_000),
      now: at(-3_600_000),
    });
    liveQuantityByItem.set(id, live!.quantity);
  }
  const expiredReservationIds: string[] = [];
  for (let index = 0; index < input.reservations; index += 1) {
    const reservation = await adapter.stock.reserveStock({
      stockItemId: `sku-${index % input.items}`,
      quantity: 1 + (index % 4),
      idempotencyKey: `idem-${index}`,
      expiresAt: at(-1 - (index % 500)),
      now: at(-3_600_000),
    });
    expiredReservationIds.push(reservation!.id);
  }
  return { emailIds, expiredReservationIds, liveQuantityByItem };
}
