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
  /** What each hour of the 5-second `emailOutbox` lane should show, though most runs are pruned. */
  outboxHours: { hourStartAt: string; passes: number; moved: number; failures: number }[];
  /** Runs of `emailOutbox` left after pruning to 100 per lane. */
  outboxRunsKept: number;
  acpSessionsPastTtl: { count: number; oldestAgeText: string };
  blockedAccountDeletes: { count: number; oldestAgeText: string };
  leader: { holder: string; term: number };
  staleInstance: string;
}

/**
 * Seeds 24 h of lane runs (an ephemeral purge every hour moving `hour + 1` items, two failed
 * workflow passes, an email lane passing every 5 minutes and pruned to its newest 100 runs as
 * the runtime does), a live leader in term 7 with a fresh and a stale heartbeat, and a backlog
 * of expired reservations, due emails, ACP sessions past TTL and a blocked erasure.
 */
export async function seedDashboard(store: MikaStorageAdapter): Promise<SeededDashboard> {
  const { outboxHours, outboxRunsKept } = await seedOutboxHours(store);
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
  // Two ACP checkouts whose 15-minute TTL ended 20 and 5 minutes ago, not yet expired.
  for (const endedAgo of [20, 5]) {
    await store.acpSessions.createSession?.({ now: at(-(endedAgo + 15) * 60_000) });
  }
  // An erasure requested 3 days ago, refused 2 days ago because a subscription was active.
  const request = await store.ops.queueAccountDeleteRequest({
    customerId: "customer-blocked",
    now: at(-72 * HOUR),
  });
  await store.ops.failAccountDeleteRequest({
    requestId: request.id,
    now: at(-48 * HOUR),
    error:
      "Account delete blocked: subscription sub-1 is active; cancel it (or let it expire) before the account can be erased.",
  });

  return {
    ephemeralMoved,
    ephemeralPasses: 23,
    workflowFailures: 2,
    failureError,
    expiredReservations: 3,
    dueEmails: 5,
    outboxHours,
    outboxRunsKept,
    acpSessionsPastTtl: { count: 2, oldestAgeText: "20 min" },
    blockedAccountDeletes: { count: 1, oldestAgeText: "3 d" },
    leader: { holder: "replica-a", term: 7 },
    staleInstance: "replica-b",
  };
}

/**
 * The outbox passes every 5 minutes: 12 passes an hour sending `hour + 1` emails each, one
 * failed email in every third hour. The runtime keeps 100 runs, about 8 hours of them. Seeded
 * first, so its many writes do not age the runs the other checks read to the second.
 */
async function seedOutboxHours(
  store: MikaStorageAdapter,
): Promise<Pick<SeededDashboard, "outboxHours" | "outboxRunsKept">> {
  const now = Date.now();
  const currentHour = now - (now % HOUR);
  const outboxHours: SeededDashboard["outboxHours"] = [];
  for (let bucket = 0; bucket < 24; bucket += 1) {
    const hourStart = currentHour - (23 - bucket) * HOUR;
    const hour = {
      hourStartAt: new Date(hourStart).toISOString(),
      passes: 0,
      moved: 0,
      failures: 0,
    };
    for (let pass = 0; pass < 12; pass += 1) {
      const startedAt = new Date(hourStart + pass * 5 * 60_000 + 1_000).toISOString();
      if (Date.parse(startedAt) > now - 1_000) break;
      const failed = bucket % 3 === 0 && pass === 0 ? 1 : 0;
      await store.runtimeState.recordLaneRun({
        id: `seed-emailOutbox-${startedAt}`,
        lane: "emailOutbox",
        instanceId: "replica-a",
        startedAt,
        finishedAt: startedAt,
        durationMs: 40,
        status: "completed",
        counters: { leased: bucket + 1 + failed, sent: bucket + 1, failed, hasMore: false },
        error: null,
      });
      hour.passes += 1;
      hour.moved += bucket + 1;
      hour.failures += failed;
    }
    outboxHours.push(hour);
  }
  await store.runtimeState.pruneLaneRuns({ keepPerLane: 100 });
  const outboxRunsKept = (
    await store.runtimeState.listLaneRunHistory({
      since: new Date(now - 25 * HOUR).toISOString(),
      limit: 1_000,
      lane: "emailOutbox",
    })
  ).length;
  return { outboxHours, outboxRunsKept };
}
