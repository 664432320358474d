import type { MikaLaneRunRecord, MikaStorageAdapter } from "@mika-maintenance/core";

const HOUR = 3_600_000;

/** What the seeded history should show on the dashboard. */
export interface SeededDashboard {
  /** Items moved by `ephemeralRecords` over the last 24 h. */
  ephemeralMoved: number;
  ephemeralPasses: number;
  /** Failed passes of `stuckWorkflows` in the last 24 h (one carries `failureError`). */
  workflowFailures: number;
  failureError: string;
  expiredReservations: number;
  dueEmails: number;
  leader: { holder: string; term: number };
  staleInstance: string;
}

/**
 * Seeds 24 h of lane runs (an ephemeral purge every hour moving `hour + 1` items, two failed
 * workflow passes), a live leader in term 7 with a fresh and a stale heartbeat, and a backlog
 * of expired reservations and due emails.
 */
export async function seedDashboard(store: MikaStorageAdapter): Promise<SeededDashboard> {
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  const run = (
    lane: string,
    startedAt: string,
    fields: Partial<MikaLaneRunRecord> = {},
  ): MikaLaneRunRecord => ({
    id: `seed-${lane}-${startedAt}`,
    lane,
    instanceId: "replica-a",
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 40).toISOString(),
    durationMs: 40,
    status: "completed",
    counters: {},
    error: null,
    ...fields,
  });
  let ephemeralMoved = 0;
  for (let hour = 0; hour < 23; hour += 1) {
    const purged = hour + 1;
    ephemeralMoved += purged;
    await store.runtimeState.recordLaneRun(
      run("ephemeralRecords", at(-(hour * HOUR + 30_000)), {
        counters: { purged, hasMore: false },
      }),
    );
  }
  const failureError = 'relation "workflows" is locked: canceling statement due to lock timeout';
  await store.runtimeState.recordLaneRun(
    run("stuckWorkflows", at(-3 * HOUR), {
      status: "failed",
      error: failureError,
      durationMs: 5_000,
    }),
  );
  await store.runtimeState.recordLaneRun(
    run("stuckWorkflows", at(-2 * HOUR), {
      status: "abandoned",
      error: "The pass did not finish within 60000 ms and was abandoned.",
      durationMs: 60_000,
    }),
  );
  await store.runtimeState.recordLaneRun(
    run("stuckWorkflows", at(-60_000), { counters: { scanned: 0, reclaimed: 0, hasMore: false } }),
  );
  for (const lane of ["ephemeralRecords", "stuckWorkflows"]) {
    await store.runtimeState.claimLane({
      lane,
      expectedLastStartedAt: null,
      holder: "replica-a",
      now: lane === "ephemeralRecords" ? at(-30_000) : at(-60_000),
    });
  }

  // Leader in term 7: six earlier terms, each a change of hands, acquired and resigned.
  for (let term = 1; term <= 7; term += 1) {
    const holder = term % 2 === 1 ? "replica-a" : "replica-b";
    const lease = await store.leadership.tryAcquireLeadership({
      name: "mika-maintenance",
      holder,
      now: at(-60_000 + term),
      ttlMs: 3_600_000,
    });
    if (!lease) throw new Error(`could not seed term ${term}`);
    if (term < 7) {
      await store.leadership.resignLeadership({
        name: "mika-maintenance",
        holder,
        term: lease.term,
        now: at(-60_000 + term),
      });
    }
  }
  await store.runtimeState.recordHeartbeat({
    instanceId: "replica-a",
    host: "maint-0",
    pid: 101,
    startedAt: at(-5 * HOUR),
    lastBeatAt: at(-2_000),
    isLeader: true,
  });
  await store.runtimeState.recordHeartbeat({
    instanceId: "replica-b",
    host: "maint-1",
    pid: 202,
    startedAt: at(-6 * HOUR),
    lastBeatAt: at(-10 * 60_000),
    isLeader: false,
  });

  await store.stock.upsertStockItem({ id: "sku-mug", quantityOnHand: 10, now: at(-HOUR) });
  for (let index = 0; index < 3; index += 1) {
    await store.stock.reserveStock({
      stockItemId: "sku-mug",
      quantity: 1,
      cartId: `cart-${index}`,
      expiresAt: at(-60_000 * (index + 1)),
      now: at(-HOUR),
    });
  }
  for (let index = 0; index < 5; index += 1) {
    await store.ops.enqueueEmail({
      to: `shopper-${index}@example.com`,
      subject: `Order #${index} confirmed`,
      text: "Thanks!",
      now: at(-120_000),
    });
  }
  return {
    ephemeralMoved,
    ephemeralPasses: 23,
    workflowFailures: 2,
    failureError,
    expiredReservations: 3,
    dueEmails: 5,
    leader: { holder: "replica-a", term: 7 },
    staleInstance: "replica-b",
  };
}
