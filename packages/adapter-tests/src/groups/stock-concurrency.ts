import { createMikaMaintenanceRunner, type MikaRepositories } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, T0 } from "../support/clock.ts";
import { completed } from "../support/runners.ts";
import { seedReservation, seedStockItem } from "../support/seed-stock.ts";

const RUNNERS = 4;
const ITEMS = 6;
const EXPIRED_PER_ITEM = 25;
const MAX_PASSES = 500;

async function releaseUntilDone(repositories: MikaRepositories): Promise<number> {
  const runner = createMikaMaintenanceRunner({ repositories: { stock: repositories.stock } });
  let released = 0;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const result = completed(
      (await runner.runOnce({ now: T0, stockReservationLimit: 7 })).stockReservations,
    );
    released += result.reservationsReleased;
    if (result.reservationsScanned === 0) return released;
  }
  throw new Error(`Expired reservations were not drained within ${MAX_PASSES} passes.`);
}

/** Several runners releasing expired reservations at once, each on its own connection. */
export const stockConcurrencyGroup = defineConformanceGroup(
  "stockConcurrency",
  "4 runners releasing expired reservations at once release each exactly once",
  {
    [`${RUNNERS} runners release ${ITEMS * EXPIRED_PER_ITEM} expired reservations exactly once`]: {
      timeoutMs: 120_000,
      run: async ({ repositories, connections }) => {
        const { stock } = repositories;
        const items: { id: string; liveQuantity: number }[] = [];
        const expiredIds: string[] = [];
        for (let itemIndex = 0; itemIndex < ITEMS; itemIndex += 1) {
          const item = await seedStockItem(stock, 10_000);
          for (let index = 0; index < EXPIRED_PER_ITEM; index += 1) {
            const reservation = await seedReservation(stock, {
              stockItemId: item.id,
              quantity: 1 + (index % 5),
              expiresAt: at(-index),
            });
            expiredIds.push(reservation.id);
          }
          const live = await seedReservation(stock, {
            stockItemId: item.id,
            quantity: 11 + itemIndex,
            expiresAt: at(HOUR),
          });
          items.push({ id: item.id, liveQuantity: live.quantity });
        }

        const runners = await connections(RUNNERS);
        const released = await Promise.all(runners.map((runner) => releaseUntilDone(runner)));

        expect(released.reduce((a, b) => a + b, 0)).toBe(expiredIds.length);
        for (const item of items) {
          const stored = await stock.getStockItem(item.id);
          expect(stored?.quantityReserved, `quantityReserved of ${item.id}`).toBe(
            item.liveQuantity,
          );
        }
        const statuses = await Promise.all(
          expiredIds.map(async (id) => (await stock.getReservation(id))?.status),
        );
        expect(statuses.filter((status) => status !== "expired")).toEqual([]);
      },
    },
  },
);
