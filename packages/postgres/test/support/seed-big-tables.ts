import { sql } from "kysely";
import { MIKA_POSTGRES_TABLES } from "../../src/index.ts";
import type { TestDatabase } from "./test-database.ts";

/** The instant the seeded data is "now" for. */
export const BIG_T0 = "2026-06-21T10:00:00.000Z";

/**
 * Fills every table a maintenance query reads with `rows` rows, of which about 1% are due
 * work (the realistic shape: a big history, a small backlog), then ANALYZEs, so the planner
 * sees tables large enough that a sequential scan would be its honest choice if no index fit.
 */
export async function seedBigTables(database: TestDatabase, rows: number): Promise<void> {
  const t = (name: string) => database.table(name);
  const t0 = sql`${BIG_T0}::timestamptz`;
  const series = sql`generate_series(1, ${rows}::int) as g(i)`;
  const statements = [
    sql`insert into ${t("email_outbox")} (id, status, to_address, subject, customer_id, user_id,
          email_hash, metadata, attempt_count, max_attempts, next_attempt_at, lease_key, leased_at,
          lease_expires_at, last_error, sent_at, created_at, updated_at)
        select 'email-' || i,
          case when i % 100 = 0 then 'queued' when i % 100 = 1 then 'queued' when i % 100 = 2 then 'failed' else 'sent' end,
          'person-' || i || '@example.com', 'Order ' || i, 'customer-' || (i % 5000),
          'user-' || (i % 5000), 'hash-' || (i % 5000), '{}'::jsonb,
          case when i % 100 = 1 then 5 when i % 100 = 2 then 1 else 1 end, 5,
          case when i % 100 = 2 then ${t0} - interval '1 minute' end,
          case when i % 100 = 1 then 'lease-' || i end,
          case when i % 100 = 1 then ${t0} - interval '2 hours' end,
          case when i % 100 = 1 then ${t0} - interval '1 hour' end,
          case when i % 100 = 2 then 'timeout' end,
          case when i % 100 > 2 then ${t0} - (i || ' seconds')::interval end,
          ${t0} - (i || ' seconds')::interval, ${t0} - (i || ' seconds')::interval
        from ${series}`,
    sql`insert into ${t("workflows")} (id, name, status, input, attempt_count, max_attempts,
          lease_key, leased_at, lease_expires_at, created_at, updated_at, finished_at)
        select 'workflow-' || i, 'order.fulfil',
          case when i % 100 = 0 then 'running' else 'completed' end, '{}'::jsonb, 3, 3,
          case when i % 100 = 0 then 'lease-' || i end,
          case when i % 100 = 0 then ${t0} - interval '2 hours' end,
          case when i % 100 = 0 then ${t0} - interval '1 hour' end,
          ${t0} - (i || ' seconds')::interval, ${t0} - (i || ' seconds')::interval,
          case when i % 100 <> 0 then ${t0} - (i || ' seconds')::interval end
        from ${series}`,
    sql`insert into ${t("webhook_events")} (id, provider, event_type, external_id, received_at,
          processed_at, raw_payload, normalized_payload, raw_payload_purged_at)
        select 'event-' || i, 'stripe', 'charge.succeeded', 'evt_' || i,
          ${t0} - interval '30 days' - (i || ' seconds')::interval,
          ${t0} - interval '30 days',
          case when i % 100 = 0 then '{"raw":' || i || '}' end, '{}'::jsonb,
          case when i % 100 <> 0 then ${t0} - interval '10 days' end
        from ${series}`,
    sql`insert into ${t("account_delete_requests")} (id, status, customer_id, steps, error_count,
          requested_at, updated_at, completed_at)
        select 'request-' || i, case when i % 100 = 0 then 'queued' else 'completed' end,
          'customer-' || i, '{}'::jsonb, 0, ${t0} - (i || ' seconds')::interval,
          ${t0} - (i || ' seconds')::interval,
          case when i % 100 <> 0 then ${t0} - (i || ' seconds')::interval end
        from ${series}`,
    sql`insert into ${t("ephemeral_records")} (kind, key, subject_hash, value, expires_at, created_at)
        select case when i % 3 = 0 then 'token' when i % 3 = 1 then 'nonce' else 'rate_limit' end,
          'key-' || i, 'customer:customer-' || (i % 5000), null,
          case when i % 100 = 0 then ${t0} - interval '1 minute' else ${t0} + (i || ' seconds')::interval end,
          ${t0} - interval '1 day'
        from ${series}`,
    sql`insert into ${t("stock_items")} (id, quantity_on_hand, quantity_reserved, updated_at)
        select 'item-' || i, 1000, 10, ${t0} from ${series}`,
    sql`insert into ${t("stock_reservations")} (id, stock_item_id, customer_id, cart_id, quantity,
          status, idempotency_key, expires_at, created_at, updated_at, ended_at)
        select 'reservation-' || i, 'item-' || i, 'customer-' || (i % 5000), 'cart-' || i, 1,
          case when i % 100 in (0, 1) then 'active' when i % 2 = 0 then 'consumed' else 'expired' end,
          case when i % 100 in (0, 1) then 'idem-' || i end,
          case when i % 100 = 1 then ${t0} + interval '1 hour' else ${t0} - (i || ' seconds')::interval end,
          ${t0} - interval '1 day', ${t0} - interval '1 day',
          case when i % 100 not in (0, 1) then ${t0} - interval '1 hour' end
        from ${series}`,
    sql`insert into ${t("acp_sessions")} (id, status, payload, version, expires_at, terminal_at,
          purge_at, expired_at, created_at, updated_at)
        select 'session-' || i,
          case when i % 100 = 0 then 'ready_for_payment' else 'completed' end, '{}'::jsonb, 2,
          ${t0} - (i || ' seconds')::interval,
          case when i % 100 <> 0 then ${t0} - interval '1 hour' end,
          case when i % 100 = 1 then ${t0} - interval '1 minute'
               when i % 100 <> 0 then ${t0} + interval '23 hours' end,
          null, ${t0} - interval '2 hours', ${t0} - interval '1 hour'
        from ${series}`,
    sql`insert into ${t("customers")} (id, user_id, email, email_hash, name, created_at, updated_at)
        select 'customer-' || i, 'user-' || i, 'person-' || i || '@example.com', 'hash-' || i,
          'Person ' || i, ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("subscriptions")} (id, customer_id, status, product_id, created_at, updated_at)
        select 'subscription-' || i, 'customer-' || i, 'cancelled', 'product', ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("carts")} (id, customer_id, status, created_at, updated_at)
        select 'cart-' || i, 'customer-' || i,
          case when i % 100 = 0 then 'checkout_pending' else 'completed' end, ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("account_exports")} (id, customer_id, user_id, status, artifact_ref,
          download_token_hash, created_at, updated_at)
        select 'export-' || i, 'customer-' || i, 'user-' || i, 'ready', 's3://exports/' || i,
          'token-' || i, ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("orders")} (id, customer_id, user_id, email_hash, customer_snapshot,
          total_minor, currency, status, created_at, updated_at)
        select 'order-' || i, 'customer-' || (i % 5000), 'user-' || (i % 5000),
          'hash-' || (i % 5000), jsonb_build_object('email', 'person-' || i || '@example.com'),
          1000, 'EUR', 'paid', ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("entitlements")} (id, customer_id, user_id, email_hash, product_id,
          created_at, updated_at)
        select 'entitlement-' || i, 'customer-' || (i % 5000), 'user-' || (i % 5000),
          'hash-' || (i % 5000), 'product', ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("licenses")} (id, customer_id, user_id, email_hash, key_hash,
          display_suffix, status, created_at, updated_at)
        select 'license-' || i, 'customer-' || (i % 5000), 'user-' || (i % 5000),
          'hash-' || (i % 5000), 'key-' || i, 'ABCD', 'active', ${t0}, ${t0}
        from ${series}`,
    sql`insert into ${t("lane_runs")} (id, lane, instance_id, started_at, finished_at,
          duration_ms, status, counters)
        select 'run-' || i, 'lane-' || (i % 8), 'instance', ${t0} - (i || ' seconds')::interval,
          ${t0} - (i || ' seconds')::interval, 12.5, 'completed', '{}'::jsonb
        from ${series}`,
    sql`insert into ${t("lane_run_hours")} (lane, hour_start, passes, moved, failures)
        select 'lane-' || (i % 8), date_trunc('hour', ${t0}) - (i || ' hours')::interval,
          720, i % 50, i % 3
        from ${series}`,
  ];
  for (const statement of statements) await statement.execute(database.admin);
  // Only this file's tables: a bare ANALYZE would walk every schema on a shared server.
  for (const name of MIKA_POSTGRES_TABLES) await sql`analyze ${t(name)}`.execute(database.admin);
}
