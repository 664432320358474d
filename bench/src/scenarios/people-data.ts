import type { BenchStore } from "../adapters/store.ts";
import { progress } from "../harness.ts";
import { BENCH_NOW, DAY, HOUR, type ScenarioContext, shift } from "../scenario.ts";

/** What each generated customer owns. */
export const PERSON = { orders: 20, entitlements: 5, emails: 10, tokens: 2 } as const;
const ORDERS = PERSON.orders;
const ENTITLEMENTS = PERSON.entitlements;
const EMAILS = PERSON.emails;
const TOKENS = PERSON.tokens;

/**
 * Customers `<prefix>-<n>`, each with a subscription, a cart, orders, entitlements, a license,
 * emails, tokens and an active reservation; with a queued erasure request when asked.
 */
export async function loadPeople(
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

/** A fresh store with the stock item every reservation holds and `bystanders` customers. */
export async function openErasureScene(
  context: ScenarioContext,
  bystanders: number,
): Promise<BenchStore> {
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
  return store;
}
