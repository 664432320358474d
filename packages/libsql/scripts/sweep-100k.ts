// Measures one full maintenance sweep over 100k due rows in a libSQL file:
//   npx -y pnpm@10.34.9 --filter @mika-maintenance/libsql exec node --conditions=dev-source scripts/sweep-100k.ts [--rows 100000] [--synchronous full|normal]
// "Full sweep" = the runner, with its default limits, run pass after pass until no task
// reports more work (what the runtime does when a lane reports hasMore).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  MIKA_MAINTENANCE_TASKS,
} from "@mika-maintenance/core";
import { createLibsqlRepositories } from "../src/index.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    synchronous: { type: "string", default: "full" },
  },
});
const total = Number(values.rows);
const synchronous = values.synchronous === "normal" ? "normal" : "full";
const NOW = Date.parse("2026-06-21T10:00:00.000Z");
const DAY = 86_400_000;

// Share of the due rows per task, and as many rows again that are not due (live tokens,
// sent emails, fresh reservations...) so every query has to find its rows among others.
const share = {
  ephemeral: 0.4,
  reservations: 0.2,
  webhooks: 0.2,
  acpSessions: 0.1,
  emails: 0.05,
  stuckEmails: 0.025,
  stuckWorkflows: 0.025,
};
const count = (key: keyof typeof share) => Math.round(total * share[key]);

const dir = await mkdtemp(join(tmpdir(), "mika-sweep-"));
const url = `file:${join(dir, "sweep.db")}`;

async function seed(): Promise<void> {
  const adapter = createLibsqlRepositories({ url });
  await adapter.migrate();
  await adapter.close();
  const client = createClient({ url, concurrency: 1 });
  await client.execute("PRAGMA synchronous = OFF");
  const series = (n: number) =>
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${n})`;
  const statements = [
    // Ephemeral: due (expired) and live.
    `${series(count("ephemeral"))} insert into mika_ephemeral_records
      select 'nonce', 'due-' || i, null, 'v', ${NOW} - 1 - i, ${NOW - DAY} from n`,
    `${series(count("ephemeral"))} insert into mika_ephemeral_records
      select 'token', 'live-' || i, 'customer:' || i, 'v', ${NOW + DAY} + i, ${NOW - DAY} from n`,
    // Stock: 500 items; expired and live active reservations.
    `${series(500)} insert into mika_stock_items select 'sku-' || i, 1000000, 0, ${NOW - DAY} from n`,
    `${series(count("reservations"))} insert into mika_stock_reservations
      select 'res-due-' || i, 'sku-' || (i % 500 + 1), null, null, 1 + i % 3, 'active', null,
             ${NOW} - 1 - i, ${NOW - DAY}, ${NOW - DAY}, null from n`,
    `${series(count("reservations"))} insert into mika_stock_reservations
      select 'res-live-' || i, 'sku-' || (i % 500 + 1), null, null, 1, 'active', null,
             ${NOW + DAY}, ${NOW - DAY}, ${NOW - DAY}, null from n`,
    `update mika_stock_items set quantity_reserved = (
      select total(quantity) from mika_stock_reservations r
      where r.stock_item_id = mika_stock_items.id and r.status = 'active')`,
    // Webhooks: processed and past the 14-day retention; and recent ones.
    `${series(count("webhooks"))} insert into mika_webhook_events
      select 'wh-old-' || i, 'stripe', 'charge.succeeded', 'evt-old-' || i, ${NOW - 30 * DAY} + i,
             ${NOW - 30 * DAY} + i, '{"raw":"payload ' || i || '"}', null, null from n`,
    `${series(count("webhooks"))} insert into mika_webhook_events
      select 'wh-new-' || i, 'stripe', 'charge.succeeded', 'evt-new-' || i, ${NOW - DAY} + i,
             ${NOW - DAY} + i, '{"raw":"payload ' || i || '"}', null, null from n`,
    // ACP sessions: past TTL, and open ones.
    `${series(count("acpSessions"))} insert into mika_acp_sessions
      select 'acp-due-' || i, 'ready_for_payment', '{}', 1, ${NOW} - 1 - i, null, null, null,
             ${NOW - DAY}, ${NOW - DAY} from n`,
    `${series(count("acpSessions"))} insert into mika_acp_sessions
      select 'acp-live-' || i, 'in_progress', '{}', 1, ${NOW + DAY}, null, null, null,
             ${NOW - DAY}, ${NOW - DAY} from n`,
    // Emails: due, and already sent.
    `${series(count("emails"))} insert into mika_email_outbox
      select 'email-due-' || i, 'queued', 'buyer' || i || '@example.test', 'Order ' || i, 'text',
             null, null, null, null, '{}', 0, 5, null, null, null, null, null, null, null, null,
             null, ${NOW - DAY} + i, ${NOW - DAY} + i from n`,
    `${series(count("emails"))} insert into mika_email_outbox
      select 'email-sent-' || i, 'sent', 'buyer' || i || '@example.test', 'Order ' || i, 'text',
             null, null, null, null, '{}', 1, 5, null, null, null, null, null, ${NOW - DAY}, 'p',
             null, null, ${NOW - DAY} + i, ${NOW - DAY} + i from n`,
    // Stuck emails: queued, last lease expired, attempts used up, no error.
    `${series(count("stuckEmails"))} insert into mika_email_outbox
      select 'email-stuck-' || i, 'queued', 'x' || i || '@example.test', 's', null, null, null,
             null, null, '{}', 5, 5, null, 'lease-' || i, ${NOW - DAY}, ${NOW} - 1 - i, null, null,
             null, null, null, ${NOW - DAY}, ${NOW - DAY} from n`,
    // Stuck workflows: running, lease expired, attempts used up.
    `${series(count("stuckWorkflows"))} insert into mika_workflows
      select 'wf-stuck-' || i, 'order.fulfil', 'running', '{}', null, 3, 3, 'lease-' || i,
             ${NOW - DAY}, ${NOW} - 1 - i, null, ${NOW - DAY}, ${NOW - DAY}, null from n`,
  ];
  for (const statement of statements) await client.execute(statement);
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
}

const seedStarted = performance.now();
await seed();
const seedMs = performance.now() - seedStarted;

const adapter = createLibsqlRepositories({ url, synchronous });
const emailOutboxRunner = createMikaEmailOutboxRunner({
  repositories: adapter,
  sender: async (message) => ({ providerMessageId: `p-${message.emailId}` }),
});
const runner = createMikaMaintenanceRunner({ repositories: adapter, emailOutboxRunner });
const now = new Date(NOW).toISOString();
const taskMs: Record<string, number> = {};
const moved: Record<string, number> = {};

const started = performance.now();
let passes = 0;
for (;;) {
  passes += 1;
  const result = await runner.runOnce({ now });
  let more = false;
  for (const task of MIKA_MAINTENANCE_TASKS) {
    const outcome = result[task.key];
    if (outcome.status !== "completed") {
      throw new Error(`${task.key} ${outcome.status}: ${JSON.stringify(outcome)}`);
    }
    taskMs[task.key] = (taskMs[task.key] ?? 0) + outcome.durationMs;
    const counters = outcome.result as unknown as Record<string, unknown>;
    const count =
      counters.sent ?? counters.reclaimed ?? counters.purged ?? counters.reservationsReleased;
    moved[task.key] =
      (moved[task.key] ?? 0) +
      (typeof count === "number" ? count : 0) +
      (typeof counters.expired === "number" ? counters.expired : 0);
    if (counters.hasMore === true) more = true;
  }
  if (!more) break;
}
const sweepMs = performance.now() - started;

const emptyStarted = performance.now();
await runner.runOnce({ now });
const emptyMs = performance.now() - emptyStarted;
await adapter.close();
await rm(dir, { recursive: true, force: true });

const rowsMoved = Object.values(moved).reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify(
    {
      dueRows: total,
      notDueRows: total - count("stuckEmails") - count("stuckWorkflows"),
      synchronous,
      seedMs: Math.round(seedMs),
      passes,
      sweepMs: Math.round(sweepMs),
      rowsMoved,
      rowsPerSecond: Math.round(rowsMoved / (sweepMs / 1000)),
      emptySweepMs: Math.round(emptyMs * 10) / 10,
      perTask: Object.fromEntries(
        MIKA_MAINTENANCE_TASKS.map((task) => [
          task.key,
          { moved: moved[task.key], ms: Math.round(taskMs[task.key] ?? 0) },
        ]),
      ),
    },
    null,
    2,
  ),
);
