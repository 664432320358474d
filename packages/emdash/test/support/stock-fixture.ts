import type { MikaRepositories } from "@mika-maintenance/core";

/** Minutes before/after an ISO instant. */
export function minutesFrom(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

/**
 * Seeds one stock item with 10 on hand and a reservation of 3 that expired five minutes
 * before `at`, plus one that is still live at `at`.
 */
export async function seedExpiredReservation(
  repositories: Pick<MikaRepositories, "stock">,
  at: string,
): Promise<{ stockItemId: string; expiredId: string; liveId: string }> {
  const { stock } = repositories;
  const stockItemId = `sku-${Math.random().toString(36).slice(2, 10)}`;
  const createdAt = minutesFrom(at, -20);
  await stock.upsertStockItem({ id: stockItemId, quantityOnHand: 10, now: createdAt });
  const expired = await stock.reserveStock({
    stockItemId,
    quantity: 3,
    cartId: "cart-expired",
    expiresAt: minutesFrom(at, -5),
    now: createdAt,
  });
  const live = await stock.reserveStock({
    stockItemId,
    quantity: 2,
    cartId: "cart-live",
    expiresAt: minutesFrom(at, 10),
    now: createdAt,
  });
  if (!expired || !live) throw new Error("could not seed reservations");
  return { stockItemId, expiredId: expired.id, liveId: live.id };
}
