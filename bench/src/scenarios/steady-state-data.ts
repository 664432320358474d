import type { BenchStore, Cell } from "../adapters/store.ts";
import { progress } from "../harness.ts";
import {
  BENCH_NOW,
  DAY,
  HOUR,
  MINUTE,
  type ScenarioContext,
  scaled,
  sequentialId,
  shift,
} from "../scenario.ts";

/** The tables an empty sweep reads, each filled to the same row count. */
export const SWEPT_TABLES = [
  "email_outbox",
  "workflows",
  "webhook_events",
  "acp_sessions",
  "stock_items",
  "stock_reservations",
  "ephemeral_records",
  "account_delete_requests",
] as const;

const PAYLOAD = `'${'{"event":"charge.succeeded"}'.padEnd(200, " ")}'`;

/**
 * Fills every swept table with `rows` rows shaped like a busy shop's history where nothing is
 * due: sent mail (1% failed for good), finished workflows, webhooks over 60 days (raw payloads
 * past the 14-day retention already purged), ACP sessions half open and half terminal but not
 * yet purgeable, reservations 90% ended and 10% active until later, unexpired ephemeral rows,
 * and finished erasure requests.
 */
export async function fillSteadyState(
  store: BenchStore,
  rows: number,
  only: readonly string[] = SWEPT_TABLES,
): Promise<void> {
  const history = { at: shift(BENCH_NOW, -60 * DAY), stepMs: (60 * DAY) / rows };
  const load = async (table: string, count: number, columns: Record<string, Cell>) => {
    if (!only.includes(table)) return;
    progress(`  loading ${count.toLocaleString("en-US")} rows into ${table}`);
    await store.insertSeries({ table, count, columns });
  };

  const failedMail = "i % 100 = 0";
  await load("email_outbox", rows, {
    id: sequentialId("em-"),
    status: { when: failedMail, value: "failed", otherwise: "sent" },
    to_address: { sql: "'buyer' || i || '@example.com'" },
    subject: "Your order",
    text_body: "Thanks for your order.",
    html_body: null,
    customer_id: { sql: "'cus-' || (i % 50000)" },
    user_id: null,
    email_hash: { sql: "'eh-' || (i % 50000)" },
    metadata: { json: {} },
    attempt_count: { when: failedMail, value: 5, otherwise: 1 },
    max_attempts: 5,
    next_attempt_at: null,
    lease_key: null,
    leased_at: null,
    lease_expires_at: null,
    last_error: { when: failedMail, value: "550 mailbox unavailable", otherwise: null },
    sent_at: { when: failedMail, value: null, otherwise: history },
    provider_message_id: null,
    skip_reason: null,
    redacted_at: null,
    created_at: history,
    updated_at: history,
  });

  await load("workflows", rows, {
    id: sequentialId("wf-"),
    name: "order.fulfil",
    status: { when: "i % 100 = 0", value: "failed", otherwise: "completed" },
    input: { json: {} },
    output: null,
    attempt_count: 1,
    max_attempts: 3,
    lease_key: null,
    leased_at: null,
    lease_expires_at: null,
    last_error: null,
    created_at: history,
    updated_at: history,
    finished_at: history,
  });

  const purged = `i < ${Math.floor((rows * 46) / 60)}`;
  await load("webhook_events", rows, {
    id: sequentialId("evt-"),
    provider: "stripe",
    event_type: "charge.succeeded",
    external_id: sequentialId("ext-"),
    received_at: history,
    processed_at: history,
    raw_payload: { when: purged, value: null, otherwise: { sql: PAYLOAD } },
    normalized_payload: { json: { amount: 4200 } },
    raw_payload_purged_at: { when: purged, value: { at: shift(BENCH_NOW, -DAY) }, otherwise: null },
  });

  const terminal = "i % 2 = 0";
  await load("acp_sessions", rows, {
    id: sequentialId("acp-"),
    status: { when: terminal, value: "completed", otherwise: "not_ready_for_payment" },
    payload: { json: {} },
    version: 2,
    expires_at: {
      when: terminal,
      value: { at: shift(BENCH_NOW, -HOUR) },
      otherwise: { at: shift(BENCH_NOW, 10 * MINUTE) },
    },
    terminal_at: { when: terminal, value: { at: shift(BENCH_NOW, -HOUR) }, otherwise: null },
    purge_at: { when: terminal, value: { at: shift(BENCH_NOW, 23 * HOUR) }, otherwise: null },
    expired_at: null,
    created_at: { at: shift(BENCH_NOW, -2 * HOUR) },
    updated_at: { at: shift(BENCH_NOW, -HOUR) },
  });

  const items = Math.max(1, Math.floor(rows / 20));
  await load("stock_items", items, {
    id: sequentialId("sku-"),
    quantity_on_hand: 1000,
    quantity_reserved: 10,
    updated_at: history,
  });

  const active = "i % 10 = 0";
  await load("stock_reservations", rows, {
    id: sequentialId("res-"),
    stock_item_id: sequentialId("sku-", `i % ${items}`),
    customer_id: { sql: "'cus-' || (i % 50000)" },
    cart_id: null,
    quantity: 1,
    status: {
      when: active,
      value: "active",
      otherwise: {
        sql: "CASE i % 3 WHEN 0 THEN 'consumed' WHEN 1 THEN 'expired' ELSE 'released' END",
      },
    },
    idempotency_key: { when: active, value: sequentialId("idem-"), otherwise: null },
    expires_at: { when: active, value: { at: shift(BENCH_NOW, 10 * MINUTE) }, otherwise: history },
    created_at: history,
    updated_at: history,
    ended_at: { when: active, value: null, otherwise: history },
  });

  await load("ephemeral_records", rows, {
    kind: {
      sql: "CASE i % 4 WHEN 0 THEN 'token' WHEN 1 THEN 'nonce' WHEN 2 THEN 'rate_limit' ELSE 'cache_marker' END",
    },
    key: sequentialId("eph-"),
    subject_hash: { sql: "'customer:cus-' || (i % 50000)" },
    value: "1",
    expires_at: { at: shift(BENCH_NOW, HOUR), stepMs: 10 },
    created_at: { at: BENCH_NOW },
  });

  const failedRequest = "i % 20 = 0";
  await load("account_delete_requests", rows, {
    id: sequentialId("adr-"),
    status: { when: failedRequest, value: "failed", otherwise: "completed" },
    customer_id: { sql: "'gone-' || i" },
    user_id: null,
    email_hash: null,
    token_hash: null,
    steps: { json: {} },
    error_count: 0,
    last_error: {
      when: failedRequest,
      value: "Blocked by an active subscription.",
      otherwise: null,
    },
    requested_at: history,
    updated_at: history,
    completed_at: { when: failedRequest, value: null, otherwise: history },
    failed_at: { when: failedRequest, value: history, otherwise: null },
  });
}

/** Two fresh stores filled with nothing due: 10k rows per table and 1M rows per table. */
export async function openSteadyStores(context: ScenarioContext) {
  const smallRows = scaled(context, 10_000, 100);
  const largeRows = scaled(context, 1_000_000, 1000);
  const small = await context.openStore();
  const large = await context.openStore();
  await fillSteadyState(small, smallRows);
  await fillSteadyState(large, largeRows);
  await small.maintain();
  await large.maintain();
  return { small, large, smallRows, largeRows };
}
