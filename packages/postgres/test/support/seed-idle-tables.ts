import { sql } from "kysely";
import { BIG_T0 } from "./seed-big-tables.ts";
import type { TestDatabase } from "./test-database.ts";

/** The tables `seedIdleTables` fills: every one a sweep's `more` probe reads. */
export const IDLE_TABLES = [
  "email_outbox",
  "workflows",
  "webhook_events",
  "acp_sessions",
  "stock_reservations",
  "ephemeral_records",
] as const;

/**
 * Fills the swept tables with `rows` rows of a busy shop's history in which nothing is due at
 * `BIG_T0`, then ANALYZEs them. The predicates are correlated the way real data is (the active
 * reservations are exactly the unexpired ones, the payloads kept are exactly the recent ones),
 * so multiplying per-column selectivities, as the planner does, expects thousands of due rows
 * where there are none: the shape in which an `exists (…)` probe picks a Seq Scan.
 */
export async function seedIdleTables(database: TestDatabase, rows: number): Promise<void> {
  const t = (name: string) => database.table(name);
  const t0 = sql`${BIG_T0}::timestamptz`;
  const series = sql`generate_series(1, ${rows}::int) as g(i)`;
  // Spread over 60 days, newest first.
  const history = sql`${t0} - (i * (interval '60 days' / ${rows}::int))`;
  const statements = [
    // 1% on their last attempt, leased right now; the rest sent.
    sql`insert into ${t("email_outbox")} (id, status, to_address, subject, metadata,
          attempt_count, max_attempts, lease_key, leased_at, lease_expires_at, sent_at,
          created_at, updated_at)
        select 'email-' || i, case when i % 100 = 0 then 'queued' else 'sent' end,
          'person-' || i || '@example.com', 'Order ' || i, '{}'::jsonb,
          case when i % 100 = 0 then 5 else 1 end, 5,
          case when i % 100 = 0 then 'lease-' || i end,
          case when i % 100 = 0 then ${t0} - interval '1 minute' end,
          case when i % 100 = 0 then ${t0} + interval '4 minutes' end,
          case when i % 100 <> 0 then ${history} end, ${history}, ${history}
        from ${series}`,
    sql`insert into ${t("workflows")} (id, name, status, input, attempt_count, max_attempts,
          lease_key, leased_at, lease_expires_at, created_at, updated_at, finished_at)
        select 'workflow-' || i, 'order.fulfil',
          case when i % 100 = 0 then 'running' else 'completed' end, '{}'::jsonb, 3, 3,
          case when i % 100 = 0 then 'lease-' || i end,
          case when i % 100 = 0 then ${t0} - interval '1 minute' end,
          case when i % 100 = 0 then ${t0} + interval '4 minutes' end,
          ${history}, ${history}, case when i % 100 <> 0 then ${history} end
        from ${series}`,
    // Raw payloads past the 14-day retention already purged; the newer ones kept.
    sql`insert into ${t("webhook_events")} (id, provider, event_type, external_id, received_at,
          processed_at, raw_payload, normalized_payload, raw_payload_purged_at)
        select 'event-' || i, 'stripe', 'charge.succeeded', 'evt_' || i, ${history}, ${history},
          case when ${history} > ${t0} - interval '14 days' then '{"raw":' || i || '}' end,
          '{}'::jsonb,
          case when ${history} <= ${t0} - interval '14 days' then ${t0} - interval '1 day' end
        from ${series}`,
    // Half open until later, half terminal and not yet purgeable.
    sql`insert into ${t("acp_sessions")} (id, status, payload, version, expires_at, terminal_at,
          purge_at, created_at, updated_at)
        select 'session-' || i,
          case when i % 2 = 0 then 'completed' else 'not_ready_for_payment' end, '{}'::jsonb, 2,
          case when i % 2 = 0 then ${t0} - interval '1 hour' else ${t0} + interval '10 minutes' end,
          case when i % 2 = 0 then ${t0} - interval '1 hour' end,
          case when i % 2 = 0 then ${t0} + interval '23 hours' end,
          ${t0} - interval '2 hours', ${t0} - interval '1 hour'
        from ${series}`,
    // 10% active until later, 90% ended long ago.
    sql`insert into ${t("stock_reservations")} (id, stock_item_id, customer_id, quantity, status,
          idempotency_key, expires_at, created_at, updated_at, ended_at)
        select 'reservation-' || i, 'item-' || (i % 1000), 'customer-' || (i % 5000), 1,
          case when i % 10 = 0 then 'active' when i % 2 = 0 then 'consumed' else 'expired' end,
          case when i % 10 = 0 then 'idem-' || i end,
          case when i % 10 = 0 then ${t0} + interval '10 minutes' else ${history} end,
          ${history}, ${history}, case when i % 10 <> 0 then ${history} end
        from ${series}`,
    sql`insert into ${t("ephemeral_records")} (kind, key, subject_hash, value, expires_at, created_at)
        select case when i % 2 = 0 then 'token' else 'nonce' end, 'key-' || i,
          'customer:customer-' || (i % 5000), null, ${t0} + (i || ' seconds')::interval, ${t0}
        from ${series}`,
  ];
  for (const statement of statements) await statement.execute(database.admin);
  for (const name of IDLE_TABLES) await sql`analyze ${t(name)}`.execute(database.admin);
}
