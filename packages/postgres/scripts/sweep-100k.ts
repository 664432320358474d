// Measures one full maintenance sweep over 100k due rows per maintenance table on a real
// Postgres server, through the public runner and this adapter. Run it with:
//   npx -y pnpm@10.34.9 --filter @mika-maintenance/postgres exec node --conditions=dev-source scripts/sweep-100k.ts
// MIKA_TEST_POSTGRES_URL picks the server (default postgres://postgres@127.0.0.1:5432/test);
// SWEEP_ROWS changes the row count of the six bulk backlogs; SWEEP_EMAILS (default 10000) the
// due emails the outbox drains afterwards (it sends one at a time, each lease and completion
// its own committed statement, so it is timed apart). The schema it creates is dropped at the end.
import { randomBytes } from "node:crypto";
import { createMikaEmailOutboxRunner, createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { createPostgresRepositories, MIKA_POSTGRES_TABLES } from "../src/index.ts";

const url = process.env.MIKA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const rows = Number(process.env.SWEEP_ROWS ?? 100_000);
const emails = Number(process.env.SWEEP_EMAILS ?? 10_000);
const schema = `mika_sweep_${randomBytes(4).toString("hex")}`;
const now = "2026-06-21T10:00:00.000Z";
const admin = new Kysely<never>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
});
const t = (name: string) => sql.table(`${schema}.mika_${name}`);
const t0 = sql`${now}::timestamptz`;
const series = sql`generate_series(1, ${rows}::int) as g(i)`;

const seeds = {
  emailOutbox: sql`insert into ${t("email_outbox")} (id, status, to_address, subject, text_body,
      metadata, attempt_count, max_attempts, created_at, updated_at)
    select 'due-' || i, 'queued', 'person-' || i || '@example.com', 'Receipt', 'Thanks', '{}'::jsonb,
      0, 5, ${t0} - (i || ' milliseconds')::interval, ${t0} - interval '1 hour'
    from generate_series(1, ${emails}::int) as g(i)`,
  stuckEmails: sql`insert into ${t("email_outbox")} (id, status, to_address, subject, metadata,
      attempt_count, max_attempts, lease_key, leased_at, lease_expires_at, created_at, updated_at)
    select 'stuck-' || i, 'queued', 'person-' || i || '@example.com', 'Receipt', '{}'::jsonb, 5, 5,
      'lease-' || i, ${t0} - interval '2 hours', ${t0} - (i || ' milliseconds')::interval,
      ${t0} - interval '3 hours', ${t0} - interval '2 hours' from ${series}`,
  rawProviderPayloads: sql`insert into ${t("webhook_events")} (id, provider, event_type,
      external_id, received_at, processed_at, raw_payload)
    select 'event-' || i, 'stripe', 'charge.succeeded', 'evt_' || i,
      ${t0} - interval '30 days' - (i || ' milliseconds')::interval, ${t0} - interval '30 days',
      repeat('x', 512) from ${series}`,
  acpSessions: sql`insert into ${t("acp_sessions")} (id, status, payload, version, expires_at,
      created_at, updated_at)
    select 'session-' || i, 'ready_for_payment', '{}'::jsonb, 1,
      ${t0} - (i || ' milliseconds')::interval, ${t0} - interval '1 hour', ${t0} - interval '1 hour'
    from ${series}`,
  stockReservations: sql`insert into ${t("stock_reservations")} (id, stock_item_id, quantity,
      status, idempotency_key, expires_at, created_at, updated_at)
    select 'reservation-' || i, 'item-' || (i % 1000), 1, 'active', 'idem-' || i,
      ${t0} - (i || ' milliseconds')::interval, ${t0} - interval '1 hour', ${t0} - interval '1 hour'
    from ${series}`,
  stockItems: sql`insert into ${t("stock_items")} (id, quantity_on_hand, quantity_reserved, updated_at)
    select stock_item_id, 1000000, count(*), ${t0} from ${t("stock_reservations")} group by 1`,
  ephemeralRecords: sql`insert into ${t("ephemeral_records")} (kind, key, subject_hash, expires_at,
      created_at)
    select 'nonce', 'nonce-' || i, null, ${t0} - (i || ' milliseconds')::interval,
      ${t0} - interval '1 day' from ${series}`,
  stuckWorkflows: sql`insert into ${t("workflows")} (id, name, status, input, attempt_count,
      max_attempts, lease_key, leased_at, lease_expires_at, created_at, updated_at)
    select 'workflow-' || i, 'order.fulfil', 'running', '{}'::jsonb, 3, 3, 'lease-' || i,
      ${t0} - interval '2 hours', ${t0} - (i || ' milliseconds')::interval,
      ${t0} - interval '3 hours', ${t0} - interval '2 hours' from ${series}`,
};

const adapter = createPostgresRepositories({ connectionString: url, schema });
try {
  await adapter.migrate();
  let seeded = performance.now();
  for (const statement of Object.values(seeds)) await statement.execute(admin);
  for (const name of MIKA_POSTGRES_TABLES) await sql`analyze ${t(name)}`.execute(admin);
  console.log(
    `seeded ${rows} due rows in each of 6 bulk backlogs and ${emails} due emails in ${ms(seeded)} ms`,
  );

  const sender = async () => ({ providerMessageId: null });
  const emailOutboxRunner = createMikaEmailOutboxRunner({ repositories: adapter, sender });
  const limit = Math.min(rows, 100_000);
  const options = {
    now,
    emailLimit: limit,
    stuckEmailLimit: limit,
    rawProviderPayloadLimit: limit,
    acpSessionLimit: limit,
    stockReservationLimit: limit,
    ephemeralRecordLimit: limit,
    stuckWorkflowLimit: limit,
  };

  // The six bulk tasks: one runOnce moves every due row (in batches of 500, each its own
  // transaction). The outbox is timed on its own: it sends one email at a time by design.
  const bulk = createMikaMaintenanceRunner({ repositories: adapter });
  seeded = performance.now();
  const sweep = await bulk.runOnce(options);
  const bulkMs = ms(seeded);
  const { now: _, ...tasks } = sweep;
  for (const [key, result] of Object.entries(tasks)) {
    if (result.status === "failed") throw new Error(`${key} failed: ${result.error}`);
    if (result.status === "completed") {
      const { items: _items, ...counters } = result.result as unknown as Record<string, unknown>;
      console.log(
        `  ${key.padEnd(22)} ${String(Math.round(result.durationMs)).padStart(7)} ms`,
        counters,
      );
    }
  }
  console.log(`one full sweep, 6 bulk tasks x ${rows} due rows: ${bulkMs} ms`);

  const outbox = createMikaMaintenanceRunner({ repositories: adapter, emailOutboxRunner });
  seeded = performance.now();
  const drained = await outbox.runTask("emailOutbox", {
    now,
    emailLimit: Math.min(emails, 100_000),
  });
  if (drained.status !== "completed") throw new Error(JSON.stringify(drained));
  const { items: _items, ...counters } = drained.result;
  console.log(
    `email outbox, ${emails} due emails, one runner, no-op sender: ${ms(seeded)} ms`,
    counters,
  );

  // Empty sweeps right after the big one still step over the index entries of the rows just
  // moved, until (auto)vacuum removes them; the last one runs after a VACUUM.
  for (const label of ["first", "second", "vacuumed"]) {
    if (label === "vacuumed") {
      for (const name of MIKA_POSTGRES_TABLES) await sql`vacuum ${t(name)}`.execute(admin);
    }
    seeded = performance.now();
    const empty = await bulk.runOnce({ now });
    const slowest = Object.entries(empty)
      .flatMap(([key, result]) =>
        typeof result === "object" && "durationMs" in result
          ? [`${key} ${Math.round(result.durationMs)}`]
          : [],
      )
      .join(", ");
    console.log(`${label} empty sweep afterwards (default limits): ${ms(seeded)} ms (${slowest})`);
  }
} finally {
  await adapter.close();
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
  await admin.destroy();
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
