import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaRepositories,
} from "@mika-maintenance/core";

/** What one runner did while draining. */
export interface DrainReport {
  /** Email ids this runner's sender accepted, in order. */
  sent: string[];
  reservationsReleased: number;
  passes: number;
}

const MAX_PASSES = 10_000;

/**
 * Runs the maintenance runner over `repositories` until a pass finds neither due emails nor
 * expired reservations. The sender yields to the event loop so concurrent runners interleave.
 */
export async function drainOutboxAndStock(
  repositories: Pick<MikaRepositories, "ops" | "stock">,
  now: string,
): Promise<DrainReport> {
  const sent: string[] = [];
  const emailOutboxRunner = createMikaEmailOutboxRunner({
    repositories,
    sender: async (message) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sent.push(message.emailId);
      return { providerMessageId: `provider-${message.emailId}` };
    },
  });
  const runner = createMikaMaintenanceRunner({ repositories, emailOutboxRunner });
  let reservationsReleased = 0;
  for (let passes = 1; passes <= MAX_PASSES; passes += 1) {
    const result = await runner.runOnce({ now, emailLimit: 25, stockReservationLimit: 50 });
    if (result.emailOutbox.status !== "completed")
      throw new Error(JSON.stringify(result.emailOutbox));
    if (result.stockReservations.status !== "completed") {
      throw new Error(JSON.stringify(result.stockReservations));
    }
    reservationsReleased += result.stockReservations.result.reservationsReleased;
    if (
      result.emailOutbox.result.scanned === 0 &&
      result.stockReservations.result.reservationsScanned === 0
    ) {
      return { sent, reservationsReleased, passes };
    }
  }
  throw new Error(`Not drained within ${MAX_PASSES} passes.`);
}
