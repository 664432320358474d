import { createClient } from "@libsql/client";
import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type ISODateTime,
} from "@mika-maintenance/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLibsqlRepositories } from "../src/index.ts";
import { type RecordedStatement, recordingClient } from "./support/recording-client.ts";

const T0: ISODateTime = "2026-06-21T10:00:00.000Z";
const at = (offsetMs: number) => new Date(Date.parse(T0) + offsetMs).toISOString();
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Tables that are small by design and may be read whole (one row per lane / migration). */
const SMALL_TABLES = new Set(["mika_lane_states", "mika_lane_pauses", "mika_migrations"]);

interface PlannedStatement {
  sql: string;
  plan: string[];
}

const recorded: RecordedStatement[] = [];
const client = createClient({ url: ":memory:" });
const adapter = createLibsqlRepositories({ client: recordingClient(client, recorded) });
let planned: PlannedStatement[] = [];

async function seed() {
  const { ops, stock, ephemeral, acpSessions, account, ledger, session } = adapter;
  for (let index = 0; index < 20; index += 1) {
    await ops.enqueueEmail({ to: `p${index}@example.test`, subject: "s", now: at(-index) });
    await ephemeral.putEphemeralRecord({
      kind: index % 2 ? "token" : "nonce",
      key: `k${index}`,
      subjectHash: `customer:c${index}`,
      expiresAt: at(index % 3 ? -MINUTE : MINUTE),
      now: at(-DAY),
    });
  }
  const stuck = await ops.enqueueEmail({
    to: "x@example.test",
    subject: "s",
    maxAttempts: 1,
    now: at(-DAY),
  });
  await ops.tryLeaseEmail({
    emailId: stuck.id,
    leaseKey: "l1",
    now: at(-DAY),
    leaseExpiresAt: at(-MINUTE),
  });
  await ops.enqueueWorkflow({
    name: "payment_webhook_fulfillment",
    subjectId: "wh-due",
    nextAttemptAt: at(-MINUTE),
    now: at(-DAY),
  });
  const workflow = await ops.enqueueWorkflow({
    name: "order.fulfil",
    maxAttempts: 1,
    now: at(-DAY),
  });
  await ops.tryLeaseWorkflow({
    workflowId: workflow.id,
    leaseKey: "w1",
    now: at(-DAY),
    leaseExpiresAt: at(-MINUTE),
  });
  const event = await ops.recordWebhookEvent({
    provider: "stripe",
    eventType: "charge.succeeded",
    externalId: "evt_1",
    rawPayload: "{}",
    receivedAt: at(-30 * DAY),
  });
  await ops.markWebhookEventProcessed({ eventId: event.id, now: at(-30 * DAY) });
  await acpSessions.createSession!({ now: at(-DAY) });
  await stock.upsertStockItem({ id: "sku", quantityOnHand: 100, now: at(-DAY) });
  for (let index = 0; index < 5; index += 1) {
    await stock.reserveStock({
      stockItemId: "sku",
      quantity: 1,
      customerId: "c1",
      idempotencyKey: `i${index}`,
      expiresAt: at(index % 2 ? -MINUTE : DAY),
      now: at(-DAY),
    });
  }
  await account.upsertCustomer({
    id: "c1",
    email: "ada@example.test",
    userId: "u1",
    emailHash: "h1",
    now: at(-DAY),
  });
  await account.upsertSubscription({
    id: "s1",
    customerId: "c1",
    status: "cancelled",
    productId: "p",
    now: at(-DAY),
  });
  await account.createEntitlement({ customerId: "c1", productId: "p", now: at(-DAY) });
  await account.createLicense({
    customerId: "c1",
    keyHash: "kh",
    displaySuffix: "AB12",
    now: at(-DAY),
  });
  await ledger.createOrder({ customerId: "c1", totalMinor: 100, currency: "EUR", now: at(-DAY) });
  await session.upsertCart({ id: "cart1", customerId: "c1", status: "abandoned", now: at(-DAY) });
  await ops.createAccountExport({ customerId: "c1", artifactRef: "a", now: at(-DAY) });
  await ops.queueAccountDeleteRequest({
    customerId: "c1",
    userId: "u1",
    emailHash: "h1",
    now: at(-DAY),
  });
}

async function exerciseMaintenance() {
  const emailOutboxRunner = createMikaEmailOutboxRunner({
    repositories: adapter,
    sender: async () => ({ providerMessageId: "m" }),
  });
  const runner = createMikaMaintenanceRunner({
    repositories: adapter,
    emailOutboxRunner,
    api: { admin: { webhookReplay: async () => ({ ok: true }) } },
  });
  const result = await runner.runOnce({ now: T0 });
  for (const [key, outcome] of Object.entries(result)) {
    if (key !== "now") expect(outcome, key).toMatchObject({ status: "completed" });
  }
  await adapter.ops.describeEmailBacklog({ now: T0 });
  await adapter.ops.describeAccountDeleteBacklog({ now: T0 });
  await adapter.ops.describeBlockedAccountDeleteBacklog({ failedSince: at(-DAY) });
  await adapter.acpSessions.describeExpiredSessionBacklog!({ now: T0 });
  await adapter.stock.describeExpiredReservationBacklog({ now: T0 });
  await adapter.leadership.tryAcquireLeadership({ name: "m", holder: "a", now: T0, ttlMs: MINUTE });
  await adapter.leadership.renewLeadership({
    name: "m",
    holder: "a",
    term: 1,
    now: T0,
    ttlMs: MINUTE,
  });
  await adapter.leadership.resignLeadership({ name: "m", holder: "a", term: 1, now: T0 });
  const beat = {
    instanceId: "i1",
    host: "h",
    pid: 1,
    startedAt: T0,
    lastBeatAt: T0,
    isLeader: true,
  };
  await adapter.runtimeState.recordHeartbeat(beat);
  await adapter.runtimeState.listHeartbeats({ limit: 10 });
  await adapter.runtimeState.pruneHeartbeats({ before: at(-DAY) });
  await adapter.runtimeState.claimLane({
    lane: "emailOutbox",
    expectedLastStartedAt: null,
    holder: "i1",
    now: T0,
  });
  await adapter.runtimeState.claimLane({
    lane: "emailOutbox",
    expectedLastStartedAt: T0,
    holder: "i1",
    now: at(1),
  });
  await adapter.runtimeState.listLaneStates();
  await adapter.runtimeState.recordLaneRun({
    id: "r1",
    lane: "emailOutbox",
    instanceId: "i1",
    startedAt: T0,
    finishedAt: T0,
    durationMs: 1,
    status: "completed",
    counters: {},
    error: null,
  });
  await adapter.runtimeState.listLaneRuns({ perLane: 5 });
  await adapter.runtimeState.pruneLaneRuns({ keepPerLane: 5 });
  await adapter.runtimeState.listLaneRunHistory({ since: at(-DAY), limit: 100 });
  await adapter.runtimeState.listLaneRunHistory({
    since: at(-DAY),
    limit: 100,
    lane: "emailOutbox",
  });
  await adapter.runtimeState.listLaneRunHours({ since: at(-DAY), limit: 100 });
  await adapter.runtimeState.listLaneRunHours({ since: at(-DAY), limit: 100, lane: "emailOutbox" });
  await adapter.runtimeState.setLanePaused({ lane: "emailOutbox", paused: true, by: "t", now: T0 });
  await adapter.runtimeState.listLanePauses();
  await adapter.runtimeState.setLanePaused({
    lane: "emailOutbox",
    paused: false,
    by: "t",
    now: T0,
  });
}

function plansMatching(fragment: RegExp): PlannedStatement[] {
  return planned.filter((statement) => fragment.test(statement.sql));
}

beforeAll(async () => {
  await adapter.migrate();
  await seed();
  recorded.length = 0;
  await exerciseMaintenance();
  const statements = recorded.filter(({ sql }) =>
    /^\s*(select|update|delete|insert|with)\b/i.test(sql),
  );
  planned = [];
  for (const statement of statements) {
    if (/sqlite_master/.test(statement.sql)) continue;
    const result = await client.execute({
      sql: `EXPLAIN QUERY PLAN ${statement.sql}`,
      args: statement.args,
    });
    planned.push({ sql: statement.sql, plan: result.rows.map((row) => String(row.detail)) });
  }
});

afterAll(async () => {
  await adapter.close();
  client.close();
});

describe("query plans of every statement a full sweep runs", () => {
  it("records the statements of the sweep", () => {
    if (process.env.MIKA_PRINT_PLANS)
      for (const p of planned)
        console.log(p.sql.replace(/\s+/g, " "), "\n   ->", p.plan.join(" | "));
    expect(planned.length).toBeGreaterThan(30);
  });

  it("never scans a whole mika table (every lookup is served by an index)", () => {
    const fullScans = planned.flatMap(({ sql, plan }) =>
      plan
        .map((detail) => /^SCAN (\w+)$/.exec(detail.trim())?.[1])
        .filter(
          (table): table is string =>
            !!table && table.startsWith("mika_") && !SMALL_TABLES.has(table),
        )
        .map((table) => ({ table, sql: sql.replace(/\s+/g, " ") })),
    );
    expect(fullScans).toEqual([]);
  });

  it.each([
    // One statement for every kind; its plan must search each sweep's index (checked above
    // for whole-table scans, here for the last subquery's index).
    [
      "probeDueWork",
      /^select exists \(select 1 from "mika_email_outbox"/s,
      "mika_workflows_lease_idx",
    ],
    ["listDueEmails", /from "mika_email_outbox" where .*coalesce/s, "mika_email_outbox_due_idx"],
    [
      "claimDueEmails",
      /update "mika_email_outbox" set .*\|\| ':' \|\|.* in \(select .*coalesce/s,
      "mika_email_outbox_due_idx",
    ],
    [
      "completeEmails",
      /update "mika_email_outbox" set .* from \(select json_extract/s,
      "sqlite_autoindex_mika_email_outbox_1",
    ],
    [
      "reclaimExhaustedEmails",
      /update "mika_email_outbox" set .* rowid in \(+select .*"last_error" is null/s,
      "mika_email_outbox_lease_idx",
    ],
    [
      "reclaimExhaustedWorkflows",
      /update "mika_workflows" set "status"/s,
      "mika_workflows_lease_idx",
    ],
    [
      "redactWorkflowsForAccountDelete",
      /update "mika_workflows" set "input"/s,
      "mika_workflows_customer_idx",
    ],
    [
      "purgeWebhookRawPayloads",
      /update "mika_webhook_events" set "raw_payload" = \?, "raw_payload_purged_at"/s,
      "mika_webhook_events_purge_idx",
    ],
    [
      "redactWebhookEventsForAccountDelete",
      /update "mika_webhook_events" set .*"redacted_at"/s,
      "mika_webhook_events_customer_idx",
    ],
    [
      "cleanupExpired (expire)",
      /update "mika_acp_sessions" set "status"/s,
      "mika_acp_sessions_expiry_idx",
    ],
    [
      "cleanupExpired (purge)",
      /delete from "mika_acp_sessions" where "mika_acp_sessions"."id" in/s,
      "mika_acp_sessions_purge_idx",
    ],
    [
      "deleteSessionsForAccountDelete",
      /delete from "mika_acp_sessions" where .*"customer_id"/s,
      "mika_acp_sessions_customer_idx",
    ],
    [
      "releaseExpiredReservations",
      /update "mika_stock_reservations" set "status" = \?.*<= \?/s,
      "mika_stock_reservations_expiry_idx",
    ],
    [
      "releaseActiveReservationsByCustomer",
      /update "mika_stock_reservations" set .*"customer_id" = \?/s,
      "mika_stock_reservations_customer_idx",
    ],
    [
      "purgeExpired",
      /delete from "mika_ephemeral_records" where rowid/s,
      "mika_ephemeral_records_expiry_idx",
    ],
    [
      "deleteTokensBySubjectHashes",
      /delete from "mika_ephemeral_records" where .*'token'/s,
      "mika_ephemeral_records_token_subject_idx",
    ],
    [
      "listQueuedAccountDeleteRequests",
      /from "mika_account_delete_requests" where .*'queued'.*order by/s,
      "mika_account_delete_requests_queue_idx",
    ],
  ])("%s uses %s", (_method, fragment, indexName) => {
    const statements = plansMatching(fragment);
    expect(statements.length, `statements matching ${fragment}`).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.plan.join("\n"), statement.sql).toContain(indexName);
    }
  });
});
