import { type CompiledQuery, type LogEvent, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MikaPostgresAdapter } from "../src/index.ts";
import { BIG_T0, seedBigTables } from "./support/seed-big-tables.ts";
import { seedIdleTables } from "./support/seed-idle-tables.ts";
import { openTestDatabase, type TestDatabase } from "./support/test-database.ts";

const ROWS = 50_000;

/** One seeded database and an adapter on it whose queries are captured for EXPLAIN. */
interface ExplainTarget {
  database: TestDatabase;
  captured: CompiledQuery[];
  logged?: { adapter: MikaPostgresAdapter; close(): Promise<void> };
}

async function openTarget(
  label: string,
  seed: (database: TestDatabase, rows: number) => Promise<void>,
): Promise<ExplainTarget> {
  const target: ExplainTarget = { database: await openTestDatabase(label), captured: [] };
  beforeAll(async () => {
    const adapter = target.database.createAdapter();
    await adapter.migrate();
    await adapter.close();
    await seed(target.database, ROWS);
    target.logged = target.database.createLoggedAdapter((event: LogEvent) => {
      if (event.level === "query") target.captured.push(event.query);
    });
  }, 300_000);
  afterAll(async () => {
    await target.logged?.close();
    await target.database.dispose();
  });
  return target;
}

// Every maintenance query against a big history with about 1% due work.
const busy = await openTarget("explain", seedBigTables);
// The same tables with nothing due, shaped so the planner expects due rows (see the seeder).
const idle = await openTarget("explain_idle", seedIdleTables);
const database = busy.database;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, found: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) found.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, found);
  return found;
}

function indexesUsed(node: PlanNode, found: string[] = []): string[] {
  if (node["Index Name"]) found.push(node["Index Name"]);
  for (const child of node.Plans ?? []) indexesUsed(child, found);
  return found;
}

/** EXPLAINs every statement `call` executes; returns the indexes used, fails on a Seq Scan. */
async function explainEach(
  call: (adapter: MikaPostgresAdapter) => Promise<unknown>,
  target: ExplainTarget = busy,
) {
  target.captured.length = 0;
  await call(target.logged!.adapter);
  const statements = target.captured
    .splice(0)
    .filter((query) => !/^\s*(begin|commit|rollback|start transaction)/i.test(query.sql));
  expect(statements.length).toBeGreaterThan(0);
  const indexes: string[] = [];
  for (const statement of statements) {
    const { rows } = await target.database.admin.executeQuery<{ "QUERY PLAN": unknown }>({
      ...statement,
      sql: `explain (format json) ${statement.sql}`,
    });
    const raw = rows[0]!["QUERY PLAN"];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
    const scans = seqScans(plan[0].Plan).filter((relation) => relation.startsWith("mika_"));
    expect(scans, `sequential scan in:\n${statement.sql}\n${JSON.stringify(plan)}`).toEqual([]);
    indexes.push(...indexesUsed(plan[0].Plan));
  }
  return indexes;
}

const now = BIG_T0;
const cutoff = "2026-06-07T10:00:00.000Z";
const subject = { customerId: "customer-42", userId: "user-42", emailHash: "hash-42" };
const anonymize = { ...subject, sentinel: "account-deleted:customer-42", now };

describe(`every maintenance query uses an index on ${ROWS.toLocaleString("en")}-row tables`, () => {
  it("sizes: the planner sees big tables", async () => {
    const { rows } = await sql<{ n: number }>`
      select reltuples::int as n from pg_class where relname = 'mika_email_outbox'
        and relnamespace = ${database.schema}::regnamespace
    `.execute(database.admin);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(ROWS * 0.9);
  });

  it.each([
    [
      "listDueEmails",
      (a: MikaPostgresAdapter) => a.ops.listDueEmails({ now, limit: 26 }),
      "email_outbox_due_idx",
    ],
    [
      "describeEmailBacklog",
      (a: MikaPostgresAdapter) => a.ops.describeEmailBacklog({ now }),
      "email_outbox_due_idx",
    ],
    [
      "tryLeaseEmail",
      (a: MikaPostgresAdapter) =>
        a.ops.tryLeaseEmail({
          emailId: "email-200",
          leaseKey: "k",
          now,
          leaseExpiresAt: "2026-06-21T10:05:00.000Z",
        }),
      "email_outbox_pkey",
    ],
    [
      "claimDueEmails",
      (a: MikaPostgresAdapter) =>
        a.ops.claimDueEmails({
          now,
          limit: 16,
          leaseKey: "claim",
          leaseExpiresAt: "2026-06-21T10:05:00.000Z",
        }),
      "email_outbox_due_idx",
    ],
    [
      "completeEmails",
      (a: MikaPostgresAdapter) =>
        a.ops.completeEmails({
          now,
          completions: [
            { emailId: "email-201", leaseKey: "k", outcome: "sent" },
            { emailId: "email-202", leaseKey: "k", outcome: "released" },
          ],
        }),
      "email_outbox_pkey",
    ],
    [
      "reclaimExhaustedEmails",
      (a: MikaPostgresAdapter) => a.ops.reclaimExhaustedEmails({ now, limit: 50, error: "stuck" }),
      "email_outbox_exhausted_idx",
    ],
    [
      "reclaimExhaustedWorkflows",
      (a: MikaPostgresAdapter) =>
        a.ops.reclaimExhaustedWorkflows({ now, limit: 50, error: "stuck" }),
      "workflows_exhausted_idx",
    ],
    [
      "purgeWebhookRawPayloads",
      (a: MikaPostgresAdapter) => a.ops.purgeWebhookRawPayloads({ now, cutoff, limit: 50 }),
      "webhook_events_purgeable_idx",
    ],
    [
      "acpSessions.cleanupExpired",
      (a: MikaPostgresAdapter) => a.acpSessions.cleanupExpired({ now, limit: 50 }),
      "acp_sessions_open_expiry_idx",
    ],
    [
      "releaseExpiredReservations",
      (a: MikaPostgresAdapter) => a.stock.releaseExpiredReservations({ now, limit: 500 }),
      "stock_reservations_active_expiry_idx",
    ],
    [
      "describeExpiredReservationBacklog",
      (a: MikaPostgresAdapter) => a.stock.describeExpiredReservationBacklog({ now }),
      // Both partial indexes hold only active rows; either is a fine walk of the backlog.
      ["stock_reservations_active_expiry_idx", "stock_reservations_active_customer_idx"],
    ],
    [
      "ephemeral.purgeExpired",
      (a: MikaPostgresAdapter) => a.ephemeral.purgeExpired({ now, limit: 1000 }),
      "ephemeral_expires_idx",
    ],
    [
      "listQueuedAccountDeleteRequests",
      (a: MikaPostgresAdapter) => a.ops.listQueuedAccountDeleteRequests({ limit: 26 }),
      "account_delete_queued_idx",
    ],
    [
      "describeAccountDeleteBacklog",
      (a: MikaPostgresAdapter) => a.ops.describeAccountDeleteBacklog({ now }),
      "account_delete_queued_idx",
    ],
    [
      "describeBlockedAccountDeleteBacklog",
      (a: MikaPostgresAdapter) =>
        a.ops.describeBlockedAccountDeleteBacklog({ failedSince: cutoff }),
      "account_delete_failed_idx",
    ],
    [
      "acpSessions.describeExpiredSessionBacklog",
      (a: MikaPostgresAdapter) => a.acpSessions.describeExpiredSessionBacklog!({ now }),
      "acp_sessions_open_expiry_idx",
    ],
    [
      "deleteTokensBySubjectHashes",
      (a: MikaPostgresAdapter) =>
        a.ephemeral.deleteTokensBySubjectHashes({
          subjectHashes: ["customer:customer-42", "hash-42"],
        }),
      "ephemeral_token_subject_idx",
    ],
    [
      "releaseActiveReservationsByCustomer",
      (a: MikaPostgresAdapter) =>
        a.stock.releaseActiveReservationsByCustomer({ customerId: "customer-100", now }),
      "stock_reservations_active_customer_idx",
    ],
    [
      "redactEmailsForAccountDelete",
      (a: MikaPostgresAdapter) => a.ops.redactEmailsForAccountDelete({ ...subject, now }),
      "email_outbox_customer_id_idx",
    ],
    [
      "redactAccountExportsForAccountDelete",
      (a: MikaPostgresAdapter) => a.ops.redactAccountExportsForAccountDelete({ ...subject, now }),
      "account_exports_customer_id_idx",
    ],
    [
      "anonymizeOrdersForAccountDelete",
      (a: MikaPostgresAdapter) => a.ledger.anonymizeOrdersForAccountDelete(anonymize),
      "orders_customer_id_idx",
    ],
    [
      "anonymizeEntitlementsForAccountDelete",
      (a: MikaPostgresAdapter) => a.account.anonymizeEntitlementsForAccountDelete(anonymize),
      "entitlements_customer_id_idx",
    ],
    [
      "anonymizeLicensesForAccountDelete",
      (a: MikaPostgresAdapter) => a.account.anonymizeLicensesForAccountDelete(anonymize),
      "licenses_customer_id_idx",
    ],
    [
      "anonymizeCustomerForAccountDelete",
      (a: MikaPostgresAdapter) => a.account.anonymizeCustomerForAccountDelete(anonymize),
      "customers_pkey",
    ],
    [
      "listSubscriptionsByCustomer",
      (a: MikaPostgresAdapter) =>
        a.account.listSubscriptionsByCustomer({ customerId: "customer-42" }),
      "subscriptions_customer_idx",
    ],
    [
      "listCheckoutPendingCartsByCustomer",
      (a: MikaPostgresAdapter) =>
        a.session.listCheckoutPendingCartsByCustomer({ customerId: "customer-100" }),
      "carts_checkout_pending_idx",
    ],
    [
      "listLaneRuns",
      (a: MikaPostgresAdapter) => a.runtimeState.listLaneRuns({ perLane: 5 }),
      "lane_runs_lane_started_idx",
    ],
    [
      "listLaneRunHours",
      (a: MikaPostgresAdapter) =>
        a.runtimeState.listLaneRunHours({ since: "2026-06-20T10:00:00.000Z", limit: 5000 }),
      "lane_run_hours_hour_idx",
    ],
    [
      "pruneLaneRuns",
      (a: MikaPostgresAdapter) => a.runtimeState.pruneLaneRuns({ keepPerLane: 6000 }),
      "lane_runs_lane_started_idx",
    ],
  ] as const)("%s", { timeout: 60_000 }, async (_, call, expected) => {
    const indexes = await explainEach(call);
    const acceptable = (typeof expected === "string" ? [expected] : expected).map(
      (i) => `mika_${i}`,
    );
    expect(
      indexes.filter((index) => acceptable.includes(index)),
      `indexes used: ${indexes}`,
    ).not.toEqual([]);
  });
});

describe(`with nothing due, every sweep's "more" probe walks its index on ${ROWS.toLocaleString("en")}-row tables`, () => {
  // The probe runs even when a batch takes nothing, so an empty sweep is where a probe that
  // reads the whole table shows: each of these calls is one empty batch plus its probe.
  it.each([
    [
      "reclaimExhaustedEmails",
      (a: MikaPostgresAdapter) => a.ops.reclaimExhaustedEmails({ now, limit: 50, error: "stuck" }),
      ["email_outbox_exhausted_idx"],
    ],
    [
      "reclaimExhaustedWorkflows",
      (a: MikaPostgresAdapter) =>
        a.ops.reclaimExhaustedWorkflows({ now, limit: 50, error: "stuck" }),
      ["workflows_exhausted_idx"],
    ],
    [
      "purgeWebhookRawPayloads",
      (a: MikaPostgresAdapter) => a.ops.purgeWebhookRawPayloads({ now, cutoff, limit: 50 }),
      ["webhook_events_purgeable_idx"],
    ],
    [
      "acpSessions.cleanupExpired",
      (a: MikaPostgresAdapter) => a.acpSessions.cleanupExpired({ now, limit: 50 }),
      ["acp_sessions_open_expiry_idx", "acp_sessions_purge_idx"],
    ],
    [
      "releaseExpiredReservations",
      (a: MikaPostgresAdapter) => a.stock.releaseExpiredReservations({ now, limit: 500 }),
      ["stock_reservations_active_expiry_idx"],
    ],
    [
      "ephemeral.purgeExpired",
      (a: MikaPostgresAdapter) => a.ephemeral.purgeExpired({ now, limit: 1000 }),
      ["ephemeral_expires_idx"],
    ],
  ] as const)("%s", { timeout: 60_000 }, async (_, call, expected) => {
    let result: unknown;
    const indexes = await explainEach(async (adapter) => {
      result = await call(adapter);
    }, idle);
    expect(result).toMatchObject({ hasMore: false });
    for (const index of expected) {
      expect(indexes, `indexes used: ${indexes}`).toContain(`mika_${index}`);
    }
  });
});

describe(`the due-work probe is one statement that walks only the sweeps' indexes on ${ROWS.toLocaleString("en")}-row tables`, () => {
  const sweepIndexes = [
    "email_outbox_due_idx",
    "email_outbox_exhausted_idx",
    "webhook_events_purgeable_idx",
    "acp_sessions_open_expiry_idx",
    "acp_sessions_purge_idx",
    "stock_reservations_active_expiry_idx",
    "ephemeral_expires_idx",
    "account_delete_queued_idx",
    "workflows_exhausted_idx",
  ];
  it.each([
    ["with about 1% due", busy],
    ["with nothing due", idle],
  ] as const)("%s", { timeout: 60_000 }, async (_, target) => {
    let statements = 0;
    const indexes = await explainEach(async (adapter) => {
      const before = target.captured.length;
      await adapter.store!.probeDueWork!({ now, rawPayloadCutoff: cutoff });
      statements = target.captured.length - before;
    }, target);
    expect(statements).toBe(1);
    for (const index of sweepIndexes) {
      expect(indexes, `indexes used: ${indexes}`).toContain(`mika_${index}`);
    }
  });
});

describe("the stock release walks the expiry index from the last reservation taken", () => {
  /** `Index Cond` of every node that reads `index`, in plan order. */
  function indexConditions(node: PlanNode, index: string, found: string[] = []): string[] {
    const condition = (node as { "Index Cond"?: string })["Index Cond"];
    if (node["Index Name"] === index) found.push(condition ?? "");
    for (const child of node.Plans ?? []) indexConditions(child, index, found);
    return found;
  }

  it("both the pick and the rows-left check start after a key, not at the head of the index", async () => {
    busy.captured.length = 0;
    // Limit 500 and a batch of at least 1,000: one batch at the limit, which asks for rows left.
    await busy.logged!.adapter.stock.releaseExpiredReservations({ now, limit: 500 });
    const release = busy.captured.splice(0).find((query) => /\bpicked\b/.test(query.sql));
    expect(release, "the release statement").toBeDefined();
    const { rows } = await busy.database.admin.executeQuery<{ "QUERY PLAN": unknown }>({
      ...release!,
      sql: `explain (format json) ${release!.sql}`,
    });
    const raw = rows[0]!["QUERY PLAN"];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
    const conditions = indexConditions(plan[0].Plan, "mika_stock_reservations_active_expiry_idx");
    const fromKey = conditions.filter((condition) => /ROW\(expires_at, id\) >/.test(condition));
    expect(fromKey, `index conditions: ${JSON.stringify(conditions)}`).toHaveLength(2);
  });
});
