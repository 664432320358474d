import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, measureInterleaved, progress, series } from "../harness.ts";
import { BENCH_NOW, DAY, HOUR, type Scenario, scaled, shift } from "../scenario.ts";

const ORDERS = 20;
const ENTITLEMENTS = 5;
const EMAILS = 10;
const TOKENS = 2;
const ITERATIONS = 3;

/** Erasure throughput for customers with 20 orders, 5 entitlements and 10 emails each. */
export const accountDeleteScenario: Scenario = {
  key: "account-delete",
  title: "Account-delete throughput",
  async run(context) {
    const perRound = scaled(context, 100, 10);
    const bystanders = scaled(context, 5000, 50);
    const store = await context.openStore();
    await store.insertSeries({
      table: "stock_items",
      count: 1,
      columns: {
        id: "sku-0",
        quantity_on_hand: 10_000_000,
        quantity_reserved: 1_000_000,
        updated_at: { at: BENCH_NOW },
      },
    });
    progress(
      `  loading ${bystanders} bystander customers with their orders, entitlements and emails`,
    );
    await loadPeople(store, "bg", bystanders, false);
    const runner = createMikaMaintenanceRunner({ repositories: store.adapter });
    let round = 0;
    let completed = 0;
    const [runs] = await measureInterleaved({
      name: "account delete",
      warmup: 1,
      iterations: ITERATIONS,
      variants: [
        {
          label: `${perRound} requests`,
          prepare: async (warmup) => {
            round += 1;
            await loadPeople(store, `r${round}`, warmup ? perRound / 4 : perRound, true);
            await store.maintain();
          },
          run: async (warmup) => {
            let done = 0;
            const started = performance.now();
            for (;;) {
              const outcome = await runner.runTask("accountDeleteRequests", {
                now: BENCH_NOW,
                accountDeleteLimit: 25,
              });
              if (outcome.status !== "completed") {
                throw new Error(
                  `accountDeleteRequests ${outcome.status}: ${JSON.stringify(outcome)}`,
                );
              }
              done += outcome.result.completed;
              if (outcome.result.scanned === 0) break;
            }
            if (!warmup) completed += done;
            return done / ((performance.now() - started) / 1000);
          },
        },
      ],
    });
    const leftQueued = await store.count("account_delete_requests", "status = 'queued'");
    const result: BenchResult = {
      key: "account-delete",
      scenario: `account delete (customers with ${ORDERS} orders, ${ENTITLEMENTS} entitlements, ${EMAILS} emails)`,
      adapter: context.adapter,
      subject: series("runTask accountDeleteRequests", "requests/s", true, runs!),
      notes: [
        `${completed} requests completed over ${ITERATIONS} runs of ${perRound}; ${leftQueued} left queued`,
        `${bystanders.toLocaleString("en-US")} bystander customers (${(bystanders * ORDERS).toLocaleString("en-US")} orders) in the same tables`,
        "no target: absolute throughput; no raw baseline",
      ],
    };
    return [result];
  },
};

/**
 * Customers `<prefix>-<n>`, each with a subscription, a cart, orders, entitlements, a license,
 * emails, tokens and an active reservation; with a queued erasure request when asked.
 */
async function loadPeople(
  store: BenchStore,
  prefix: string,
  customers: number,
  queueDeletion: boolean,
): Promise<void> {
  const owner = (per: number) => `'${prefix}-' || (i / ${per})`;
  const past = { at: shift(BENCH_NOW, -30 * DAY), stepMs: 1000 };
  await store.insertSeries({
    table: "customers",
    count: customers,
    columns: {
      id: { sql: `'${prefix}-' || i` },
      user_id: { sql: `'usr-${prefix}-' || i` },
      email: { sql: `'${prefix}-' || i || '@example.com'` },
      email_hash: { sql: `'eh-${prefix}-' || i` },
      name: "Ada Buyer",
      company: "Buyer GmbH",
      vat_id: "DE123456789",
      created_at: past,
      updated_at: past,
      anonymized_at: null,
    },
  });
  await store.insertSeries({
    table: "subscriptions",
    count: customers,
    columns: {
      id: { sql: `'sub-${prefix}-' || i` },
      customer_id: { sql: `'${prefix}-' || i` },
      status: queueDeletion ? "cancelled" : "active",
      product_id: "prod-plan",
      created_at: past,
      updated_at: past,
    },
  });
  await store.insertSeries({
    table: "carts",
    count: customers,
    columns: {
      id: { sql: `'cart-${prefix}-' || i` },
      customer_id: { sql: `'${prefix}-' || i` },
      status: "open",
      created_at: past,
      updated_at: past,
    },
  });
  await store.insertSeries({
    table: "orders",
    count: customers * ORDERS,
    columns: {
      id: { sql: `'ord-${prefix}-' || i` },
      customer_id: { sql: owner(ORDERS) },
      user_id: { sql: `'usr-${prefix}-' || (i / ${ORDERS})` },
      email_hash: { sql: `'eh-${prefix}-' || (i / ${ORDERS})` },
      customer_snapshot: {
        json: {
          email: "ada@example.com",
          name: "Ada Buyer",
          company: "Buyer GmbH",
          vatId: "DE123456789",
          country: "DE",
        },
      },
      total_minor: 4200,
      currency: "EUR",
      status: "paid",
      created_at: past,
      updated_at: past,
      anonymized_at: null,
    },
  });
  await store.insertSeries({
    table: "entitlements",
    count: customers * ENTITLEMENTS,
    columns: {
      id: { sql: `'ent-${prefix}-' || i` },
      customer_id: { sql: owner(ENTITLEMENTS) },
      user_id: { sql: `'usr-${prefix}-' || (i / ${ENTITLEMENTS})` },
      email_hash: { sql: `'eh-${prefix}-' || (i / ${ENTITLEMENTS})` },
      product_id: { sql: "'prod-' || (i % 50)" },
      created_at: past,
      updated_at: past,
      anonymized_at: null,
    },
  });
  await store.insertSeries({
    table: "licenses",
    count: customers,
    columns: {
      id: { sql: `'lic-${prefix}-' || i` },
      customer_id: { sql: `'${prefix}-' || i` },
      user_id: { sql: `'usr-${prefix}-' || i` },
      email_hash: { sql: `'eh-${prefix}-' || i` },
      key_hash: { sql: `'key-${prefix}-' || i` },
      display_suffix: "AB12",
      status: "active",
      revoked_at: null,
      created_at: past,
      updated_at: past,
    },
  });
  await store.insertSeries({
    table: "email_outbox",
    count: customers * EMAILS,
    columns: {
      id: { sql: `'em-${prefix}-' || i` },
      status: { when: "i % 2 = 0", value: "sent", otherwise: "queued" },
      to_address: { sql: `${owner(EMAILS)} || '@example.com'` },
      subject: "Your order",
      text_body: "Thanks for your order.",
      html_body: "<p>Thanks</p>",
      customer_id: { sql: owner(EMAILS) },
      user_id: { sql: `'usr-${prefix}-' || (i / ${EMAILS})` },
      email_hash: { sql: `'eh-${prefix}-' || (i / ${EMAILS})` },
      metadata: { json: { link: "https://shop.example/orders/1" } },
      attempt_count: 0,
      max_attempts: 5,
      // Not due for a day, so the outbox never competes with the erasure for these rows.
      next_attempt_at: { at: shift(BENCH_NOW, DAY) },
      lease_key: null,
      leased_at: null,
      lease_expires_at: null,
      last_error: null,
      sent_at: null,
      provider_message_id: null,
      skip_reason: null,
      redacted_at: null,
      created_at: past,
      updated_at: past,
    },
  });
  await store.insertSeries({
    table: "ephemeral_records",
    count: customers * TOKENS,
    columns: {
      kind: "token",
      key: { sql: `'tok-${prefix}-' || i` },
      subject_hash: { sql: `'customer:' || ${owner(TOKENS)}` },
      value: "1",
      expires_at: { at: shift(BENCH_NOW, DAY) },
      created_at: { at: BENCH_NOW },
    },
  });
  await store.insertSeries({
    table: "stock_reservations",
    count: customers,
    columns: {
      id: { sql: `'res-${prefix}-' || i` },
      stock_item_id: "sku-0",
      customer_id: { sql: `'${prefix}-' || i` },
      cart_id: null,
      quantity: 1,
      status: "active",
      idempotency_key: { sql: `'idem-${prefix}-' || i` },
      expires_at: { at: shift(BENCH_NOW, HOUR) },
      created_at: { at: BENCH_NOW },
      updated_at: { at: BENCH_NOW },
      ended_at: null,
    },
  });
  if (!queueDeletion) return;
  await store.insertSeries({
    table: "account_delete_requests",
    count: customers,
    columns: {
      id: { sql: `'adr-${prefix}-' || i` },
      status: "queued",
      customer_id: { sql: `'${prefix}-' || i` },
      user_id: { sql: `'usr-${prefix}-' || i` },
      email_hash: { sql: `'eh-${prefix}-' || i` },
      token_hash: null,
      steps: { json: {} },
      error_count: 0,
      last_error: null,
      requested_at: { at: shift(BENCH_NOW, -HOUR), stepMs: 1 },
      updated_at: { at: shift(BENCH_NOW, -HOUR) },
      completed_at: null,
      failed_at: null,
    },
  });
}
