import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completed } from "../support/runners.ts";
import { seedReservation, seedStockItem } from "../support/seed-stock.ts";

/** Stock items and reservations: reserve, release, expire, and the stockReservations task. */
export const stockGroup = defineConformanceGroup(
  "stock",
  "reservations hold stock atomically; expired ones give it back exactly, never below 0",
  {
    "upsertStockItem creates and updates on-hand stock, keeping the reserved quantity": async ({
      repositories: { stock },
    }) => {
      const id = uniqueId("sku");
      expect(await stock.getStockItem(id)).toBeNull();
      const created = await stock.upsertStockItem({ id, quantityOnHand: 10, now: T0 });
      expect(created).toEqual({ id, quantityOnHand: 10, quantityReserved: 0, updatedAt: T0 });
      await seedReservation(stock, { stockItemId: id, quantity: 4, expiresAt: at(HOUR) });
      const updated = await stock.upsertStockItem({ id, quantityOnHand: 20, now: at(MINUTE) });
      expect(updated).toEqual({
        id,
        quantityOnHand: 20,
        quantityReserved: 4,
        updatedAt: at(MINUTE),
      });
      expect(await stock.getStockItem(id)).toEqual(updated);
    },

    "reserveStock holds available stock and refuses what is not there": async ({
      repositories: { stock },
    }) => {
      const item = await seedStockItem(stock, 5);
      const id = uniqueId("res");
      const cartId = uniqueId("cart");
      const reservation = await stock.reserveStock({
        id,
        stockItemId: item.id,
        quantity: 3,
        customerId: "cus-1",
        cartId,
        idempotencyKey: "idem-1",
        expiresAt: at(HOUR),
        now: T0,
      });
      expect(reservation).toEqual({
        id,
        stockItemId: item.id,
        customerId: "cus-1",
        cartId,
        quantity: 3,
        status: "active",
        idempotencyKey: "idem-1",
        expiresAt: at(HOUR),
        createdAt: T0,
        updatedAt: T0,
        endedAt: null,
      });
      expect(await stock.getReservation(id)).toEqual(reservation);
      const tooMuch = await stock.reserveStock({
        stockItemId: item.id,
        quantity: 3,
        expiresAt: at(HOUR),
        now: T0,
      });
      expect(tooMuch).toBeNull();
      const rest = await stock.reserveStock({
        stockItemId: item.id,
        quantity: 2,
        expiresAt: at(HOUR),
        now: T0,
      });
      expect(rest?.status).toBe("active");
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(5);
      const missing = await stock.reserveStock({
        stockItemId: uniqueId("sku"),
        quantity: 1,
        expiresAt: at(HOUR),
        now: T0,
      });
      expect(missing).toBeNull();
      expect(await stock.getReservation(uniqueId("missing"))).toBeNull();
    },

    "a repeated idempotency key returns the active reservation without reserving twice": async ({
      repositories: { stock },
    }) => {
      const item = await seedStockItem(stock, 10);
      const input = {
        stockItemId: item.id,
        quantity: 4,
        idempotencyKey: uniqueId("idem"),
        expiresAt: at(HOUR),
        now: T0,
      };
      const first = await stock.reserveStock({ ...input, id: uniqueId("res") });
      const retry = await stock.reserveStock({ ...input, id: uniqueId("res"), now: at(1) });
      expect(retry).toEqual(first);
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(4);
    },

    "releaseReservation gives the stock back once; a second release gets null": async ({
      repositories: { stock },
    }) => {
      const item = await seedStockItem(stock, 10);
      const reservation = await seedReservation(stock, {
        stockItemId: item.id,
        quantity: 4,
        expiresAt: at(HOUR),
      });
      const released = await stock.releaseReservation({ reservationId: reservation.id, now: T0 });
      expect(released).toMatchObject({
        status: "released",
        endedAt: T0,
        idempotencyKey: null,
        quantity: 4,
      });
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(0);
      const again = await stock.releaseReservation({ reservationId: reservation.id, now: at(1) });
      expect(again).toBeNull();
      expect(await stock.getReservation(reservation.id)).toEqual(released);
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(0);
      expect(
        await stock.releaseReservation({ reservationId: uniqueId("missing"), now: T0 }),
      ).toBeNull();
    },

    "the stockReservations task expires reservations exactly at expiresAt and counts items":
      async ({ repositories: { stock } }) => {
        const itemA = await seedStockItem(stock);
        const itemB = await seedStockItem(stock);
        const itemC = await seedStockItem(stock);
        const expiring = [
          await seedReservation(stock, { stockItemId: itemA.id, quantity: 2, expiresAt: T0 }),
          await seedReservation(stock, { stockItemId: itemA.id, quantity: 3, expiresAt: at(-1) }),
          await seedReservation(stock, {
            stockItemId: itemA.id,
            quantity: 1,
            expiresAt: at(-HOUR),
          }),
          await seedReservation(stock, { stockItemId: itemB.id, quantity: 7, expiresAt: T0 }),
          await seedReservation(stock, { stockItemId: itemB.id, quantity: 1, expiresAt: at(-5) }),
        ];
        const live = [
          await seedReservation(stock, { stockItemId: itemA.id, quantity: 4, expiresAt: at(1) }),
          await seedReservation(stock, { stockItemId: itemC.id, quantity: 6, expiresAt: at(HOUR) }),
        ];
        const runner = createMikaMaintenanceRunner({ repositories: { stock } });
        const result = completed((await runner.runOnce({ now: T0 })).stockReservations);
        expect(result).toEqual({
          reservationsScanned: 5,
          reservationsReleased: 5,
          stockItems: 2,
          hasMore: false,
        });
        for (const reservation of expiring) {
          expect(await stock.getReservation(reservation.id)).toMatchObject({
            status: "expired",
            idempotencyKey: null,
            endedAt: T0,
            updatedAt: T0,
          });
        }
        for (const reservation of live) {
          expect(await stock.getReservation(reservation.id)).toEqual(reservation);
        }
        expect((await stock.getStockItem(itemA.id))?.quantityReserved).toBe(4);
        expect((await stock.getStockItem(itemB.id))?.quantityReserved).toBe(0);
        expect((await stock.getStockItem(itemC.id))?.quantityReserved).toBe(6);
        const again = completed((await runner.runOnce({ now: T0 })).stockReservations);
        expect(again).toEqual({
          reservationsScanned: 0,
          reservationsReleased: 0,
          stockItems: 0,
          hasMore: false,
        });
      },

    "an expired reservation's idempotency key can be used for a new reservation": async ({
      repositories: { stock },
    }) => {
      const item = await seedStockItem(stock, 5);
      const key = uniqueId("idem");
      const old = await stock.reserveStock({
        stockItemId: item.id,
        quantity: 5,
        idempotencyKey: key,
        expiresAt: at(-1),
        now: at(-HOUR),
      });
      await stock.releaseExpiredReservations({ now: T0, limit: 10 });
      const fresh = await stock.reserveStock({
        stockItemId: item.id,
        quantity: 5,
        idempotencyKey: key,
        expiresAt: at(HOUR),
        now: T0,
      });
      expect(fresh?.id).not.toBe(old?.id);
      expect(fresh).toMatchObject({ status: "active", idempotencyKey: key });
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(5);
    },

    "a reservation released by the host and expired by maintenance at once is given back once":
      async ({ repositories, connections }) => {
        const [host, maintenance] = await connections(2);
        const item = await seedStockItem(repositories.stock, 10);
        const other = await seedReservation(repositories.stock, {
          stockItemId: item.id,
          quantity: 3,
          expiresAt: at(HOUR),
        });
        for (let round = 0; round < 10; round += 1) {
          const racing = await seedReservation(repositories.stock, {
            stockItemId: item.id,
            quantity: 5,
            expiresAt: T0,
          });
          const [released, expired] = await Promise.all([
            host!.stock.releaseReservation({ reservationId: racing.id, now: T0 }),
            maintenance!.stock.releaseExpiredReservations({ now: T0, limit: 10 }),
          ]);
          const winners = (released ? 1 : 0) + expired.reservationsReleased;
          expect(winners).toBe(1);
          const stored = await repositories.stock.getReservation(racing.id);
          expect(stored?.status).toBe(released ? "released" : "expired");
          expect((await repositories.stock.getStockItem(item.id))?.quantityReserved).toBe(
            other.quantity,
          );
        }
      },

    "releaseActiveReservationsByCustomer releases only that customer's active reservations":
      async ({ repositories: { stock } }) => {
        const item = await seedStockItem(stock, 100);
        const customerId = uniqueId("cus");
        const mine = [
          await seedReservation(stock, {
            stockItemId: item.id,
            quantity: 2,
            customerId,
            expiresAt: at(HOUR),
          }),
          await seedReservation(stock, {
            stockItemId: item.id,
            quantity: 3,
            customerId,
            expiresAt: at(HOUR),
          }),
        ];
        const ended = await seedReservation(stock, {
          stockItemId: item.id,
          quantity: 1,
          customerId,
          expiresAt: at(HOUR),
        });
        await stock.releaseReservation({ reservationId: ended.id, now: at(-MINUTE) });
        const theirs = await seedReservation(stock, {
          stockItemId: item.id,
          quantity: 4,
          customerId: uniqueId("cus"),
          expiresAt: at(HOUR),
        });
        expect(await stock.releaseActiveReservationsByCustomer({ customerId, now: T0 })).toBe(2);
        for (const reservation of mine) {
          expect(await stock.getReservation(reservation.id)).toMatchObject({
            status: "released",
            endedAt: T0,
            idempotencyKey: null,
          });
        }
        expect((await stock.getReservation(ended.id))?.endedAt).toBe(at(-MINUTE));
        expect(await stock.getReservation(theirs.id)).toEqual(theirs);
        expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(4);
        expect(await stock.releaseActiveReservationsByCustomer({ customerId, now: at(1) })).toBe(0);
      },

    "describeExpiredReservationBacklog counts active reservations past expiry": async ({
      repositories: { stock },
    }) => {
      expect(await stock.describeExpiredReservationBacklog({ now: T0 })).toEqual({
        count: 0,
        oldestAt: null,
      });
      const item = await seedStockItem(stock);
      await seedReservation(stock, { stockItemId: item.id, quantity: 1, expiresAt: at(-HOUR) });
      await seedReservation(stock, { stockItemId: item.id, quantity: 1, expiresAt: T0 });
      await seedReservation(stock, { stockItemId: item.id, quantity: 1, expiresAt: at(1) });
      expect(await stock.describeExpiredReservationBacklog({ now: T0 })).toEqual({
        count: 2,
        oldestAt: at(-HOUR),
      });
    },

    "releaseExpiredReservations is bounded by its limit and reports hasMore": async ({
      repositories: { stock },
    }) => {
      const item = await seedStockItem(stock);
      for (let index = 0; index < 3; index += 1) {
        await seedReservation(stock, { stockItemId: item.id, quantity: 2, expiresAt: at(-index) });
      }
      expect(await stock.releaseExpiredReservations({ now: T0, limit: 2 })).toEqual({
        reservationsScanned: 2,
        reservationsReleased: 2,
        stockItems: 1,
        hasMore: true,
      });
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(2);
      expect(await stock.releaseExpiredReservations({ now: T0, limit: 2 })).toEqual({
        reservationsScanned: 1,
        reservationsReleased: 1,
        stockItems: 1,
        hasMore: false,
      });
      expect((await stock.getStockItem(item.id))?.quantityReserved).toBe(0);
    },
  },
);
