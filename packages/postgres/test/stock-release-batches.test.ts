import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "./support/test-database.ts";

const database = await openTestDatabase("stock_release_batches");
const NOW = "2026-06-21T10:00:00.000Z";
const EXPIRED = "2026-06-21T09:00:00.000Z";
const LATER = "2026-06-21T09:30:00.000Z";

beforeAll(async () => {
  const adapter = database.createAdapter();
  await adapter.migrate();
  await adapter.close();
});
beforeEach(() => database.truncateAll());
afterAll(() => database.dispose());

/** Two stock items and `count` reservations of 1 unit each, alternating between the items. */
async function seed(count: number, expiresAt: (index: number) => string) {
  const adapter = database.createAdapter();
  try {
    for (const id of ["sku-a", "sku-b"]) {
      await adapter.stock.upsertStockItem({ id, quantityOnHand: 100, now: EXPIRED });
    }
    for (let index = 0; index < count; index++) {
      await adapter.stock.reserveStock({
        id: `res-${String(index).padStart(2, "0")}`,
        stockItemId: index % 2 === 0 ? "sku-a" : "sku-b",
        quantity: 1,
        expiresAt: expiresAt(index),
        now: "2026-06-21T08:00:00.000Z",
      });
    }
  } finally {
    await adapter.close();
  }
}

describe("releaseExpiredReservations in batches, each continuing after the last key taken", () => {
  it("works through rows that share an expiry across batch boundaries, each exactly once", async () => {
    // Five reservations on one expiry, four on a later one: batches of 2 cut through both.
    await seed(9, (index) => (index < 5 ? EXPIRED : LATER));
    const adapter = database.createAdapter({ batchSize: 2 });
    try {
      const first = await adapter.stock.releaseExpiredReservations({ now: NOW, limit: 7 });
      // Both items are touched in every batch of 2; each counts once per call.
      expect(first).toMatchObject({ reservationsReleased: 7, stockItems: 2, hasMore: true });
      const second = await adapter.stock.releaseExpiredReservations({ now: NOW, limit: 7 });
      expect(second).toMatchObject({ reservationsReleased: 2, stockItems: 2, hasMore: false });
      for (const id of ["sku-a", "sku-b"]) {
        expect((await adapter.stock.getStockItem(id))?.quantityReserved, id).toBe(0);
      }
      for (let index = 0; index < 9; index++) {
        const id = `res-${String(index).padStart(2, "0")}`;
        expect((await adapter.stock.getReservation(id))?.status, id).toBe("expired");
      }
    } finally {
      await adapter.close();
    }
  });

  it("reports hasMore at the limit only while expired reservations remain past the last one taken", async () => {
    await seed(6, () => EXPIRED);
    const adapter = database.createAdapter({ batchSize: 2 });
    try {
      // One batch that spends the limit: the items come back as a count.
      expect(await adapter.stock.releaseExpiredReservations({ now: NOW, limit: 2 })).toMatchObject({
        reservationsReleased: 2,
        stockItems: 2,
        hasMore: true,
      });
      expect(await adapter.stock.releaseExpiredReservations({ now: NOW, limit: 4 })).toMatchObject({
        reservationsReleased: 4,
        hasMore: false,
      });
      expect(await adapter.stock.releaseExpiredReservations({ now: NOW, limit: 4 })).toMatchObject({
        reservationsReleased: 0,
        hasMore: false,
      });
    } finally {
      await adapter.close();
    }
  });
});
