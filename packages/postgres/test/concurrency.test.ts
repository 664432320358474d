import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaMaintenanceRunResult,
} from "@mika-maintenance/core";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { MikaPostgresAdapter } from "../src/index.ts";
import { openMigratedTestDatabase } from "./support/test-database.ts";

const RUNNERS = 4;
const EMAILS = 2_000;
const EXPIRED = 2_000;
const LIVE = 400;
const ITEMS = 40;
const T0 = "2026-06-21T10:00:00.000Z";

const database = await openMigratedTestDatabase("concurrency");

async function seed() {
  const t0 = sql`${T0}::timestamptz`;
  await sql`
    insert into ${database.table("email_outbox")} (id, status, to_address, subject, text_body,
      metadata, attempt_count, max_attempts, created_at, updated_at)
    select 'email-' || i, 'queued', 'person-' || i || '@example.com', 'Receipt ' || i, 'Thanks',
      '{}'::jsonb, 0, 5, ${t0} - (i || ' milliseconds')::interval, ${t0} - interval '1 hour'
    from generate_series(1, ${EMAILS}::int) as g(i)
  `.execute(database.admin);
  // Expired reservations (quantity 1..3) and live ones (quantity 2) spread over the items.
  await sql`
    insert into ${database.table("stock_reservations")} (id, stock_item_id, quantity, status,
      idempotency_key, expires_at, created_at, updated_at)
    select 'reservation-' || i, 'item-' || (i % ${ITEMS}::int),
      case when i <= ${EXPIRED}::int then (i % 3) + 1 else 2 end, 'active', 'idem-' || i,
      case when i <= ${EXPIRED}::int then ${t0} - (i || ' seconds')::interval
           else ${t0} + interval '1 hour' end,
      ${t0} - interval '2 hours', ${t0} - interval '2 hours'
    from generate_series(1, ${EXPIRED + LIVE}::int) as g(i)
  `.execute(database.admin);
  await sql`
    insert into ${database.table("stock_items")} (id, quantity_on_hand, quantity_reserved, updated_at)
    select stock_item_id, 100000, sum(quantity), ${t0}
    from ${database.table("stock_reservations")} group by stock_item_id
  `.execute(database.admin);
}

function completed<T>(result: MikaMaintenanceRunResult[keyof MikaMaintenanceRunResult]): T {
  if (typeof result === "string" || result.status !== "completed") {
    throw new Error(`task did not complete: ${JSON.stringify(result)}`);
  }
  return result.result as T;
}

describe(`${RUNNERS} runners on ${RUNNERS} separate connections`, () => {
  it(`drain ${EMAILS} emails and release ${EXPIRED} reservations at once, each exactly once`, {
    timeout: 600_000,
  }, async () => {
    await seed();
    const sends = new Map<string, number>();
    const adapters: MikaPostgresAdapter[] = Array.from({ length: RUNNERS }, () =>
      database.createAdapter(),
    );
    let released = 0;
    const started = performance.now();
    try {
      await Promise.all(
        adapters.map(async (adapter) => {
          const emailOutboxRunner = createMikaEmailOutboxRunner({
            repositories: adapter,
            sender: async (message) => {
              // Let the other runners interleave between lease and completion.
              await new Promise((resolve) => setImmediate(resolve));
              sends.set(message.emailId, (sends.get(message.emailId) ?? 0) + 1);
              return { providerMessageId: `provider-${message.emailId}` };
            },
          });
          const runner = createMikaMaintenanceRunner({
            repositories: adapter,
            emailOutboxRunner,
          });
          for (let pass = 0; pass < 1_000; pass += 1) {
            const run = await runner.runOnce({
              now: T0,
              emailLimit: 50,
              stockReservationLimit: 100,
            });
            const outbox = completed<{ scanned: number }>(run.emailOutbox);
            const stock = completed<{ reservationsScanned: number; reservationsReleased: number }>(
              run.stockReservations,
            );
            released += stock.reservationsReleased;
            if (outbox.scanned === 0 && stock.reservationsScanned === 0) return;
          }
          throw new Error("the runners did not drain the backlog within 1000 passes");
        }),
      );
    } finally {
      await Promise.all(adapters.map((adapter) => adapter.close()));
    }
    console.info(
      `[postgres concurrency] ${RUNNERS} runners (${database.kind}) drained ${EMAILS} emails and ${EXPIRED} reservations in ${Math.round(performance.now() - started)} ms`,
    );

    expect(sends.size).toBe(EMAILS);
    expect([...sends.values()].filter((count) => count !== 1)).toEqual([]);
    expect(released).toBe(EXPIRED);

    const { rows: emails } = await sql<{ status: string; attempts: number; n: number }>`
        select status, attempt_count as attempts, count(*)::int as n
        from ${database.table("email_outbox")} group by status, attempt_count
      `.execute(database.admin);
    expect(emails).toEqual([{ status: "sent", attempts: 1, n: EMAILS }]);

    const { rows: reservations } = await sql<{ status: string; n: number }>`
        select status, count(*)::int as n from ${database.table("stock_reservations")}
        group by status order by status
      `.execute(database.admin);
    expect(reservations).toEqual([
      { status: "active", n: LIVE },
      { status: "expired", n: EXPIRED },
    ]);

    // quantity_reserved is exactly what the live reservations still hold, item by item.
    const { rows: drift } = await sql<{ id: string }>`
        select s.id from ${database.table("stock_items")} s
        left join (
          select stock_item_id, sum(quantity)::int as held
          from ${database.table("stock_reservations")} where status = 'active'
          group by stock_item_id
        ) r on r.stock_item_id = s.id
        where s.quantity_reserved <> coalesce(r.held, 0)
      `.execute(database.admin);
    expect(drift).toEqual([]);
  });
});
