import type { MikaReleaseExpiredReservationsResult } from "../ports/stock.ts";
import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";

/** Releases expired active stock reservations and gives their quantity back. */
export const stockReservationsTask = defineMaintenanceTask({
  key: "stockReservations",
  description: "Releases expired stock reservations and gives the quantity back.",
  lane: { kind: "user-visible", intervalMs: 5_000, timeoutMs: 30_000 },
  limits: {
    stockReservationLimit: {
      default: 500,
      description: "Expired stock reservations released per run.",
    },
  },
  plan(input) {
    const release = input.releaseExpiredReservations;
    if (release) {
      return {
        run: async ({ now, limits }) =>
          normalize(await release({ now, limit: limits.stockReservationLimit })),
      };
    }
    const adminRelease = input.api?.admin?.releaseExpiredReservations;
    if (adminRelease) {
      return {
        run: async ({ now }) => {
          const response = await adminRelease({ now });
          if (!response.ok) {
            throw new Error(
              response.error?.message ?? "The admin API could not release expired reservations.",
            );
          }
          // The admin API releases everything due in one call, so nothing is left over.
          return normalize({ ...response.data?.affected, hasMore: false });
        },
      };
    }
    const stock = input.repositories?.stock;
    if (stock) {
      return {
        sweeps: stock,
        run: ({ now, limits }) =>
          stock.releaseExpiredReservations({ now, limit: limits.stockReservationLimit }),
      };
    }
    return missingDependency(
      "stockReservations",
      "a releaseExpiredReservations function, api.admin.releaseExpiredReservations or repositories.stock",
    );
  },
});

function normalize(
  partial: Partial<MikaReleaseExpiredReservationsResult>,
): MikaReleaseExpiredReservationsResult {
  return {
    reservationsScanned: partial.reservationsScanned ?? 0,
    reservationsReleased: partial.reservationsReleased ?? 0,
    stockItems: partial.stockItems ?? 0,
    hasMore: partial.hasMore ?? false,
  };
}
