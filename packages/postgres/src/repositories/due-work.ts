import type { MikaDueWork, MikaDueWorkKind, MikaProbeDueWorkInput } from "@mika-maintenance/core";
import { type RawBuilder, sql } from "kysely";
import { portInput } from "../input.ts";
import { OPEN } from "./acp-sessions.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { DUE_ORDER, dueAt, EXHAUSTED_EMAIL } from "./email-outbox.ts";
import { PURGEABLE } from "./webhook-events.ts";
import { EXHAUSTED_WORKFLOW } from "./workflows.ts";

/**
 * Whether any row of `table` matches `condition`, found by walking the sweep's own index in the
 * sweep's order. A scalar subquery, not `exists`: Postgres drops the `order by` of an `exists`
 * and may then pick a sequential scan, which on a table with nothing due reads every row.
 */
function anyRow(
  table: string,
  condition: RawBuilder<boolean>,
  orderBy: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return sql<boolean>`coalesce((select true from ${sql.table(table)} where ${condition}
    order by ${orderBy} limit 1), false)`;
}

/**
 * Which sweeps would find anything to do, in one statement: each kind asks for the first row
 * its sweep would take, on the sweep's own condition, index and order, so it costs the same
 * on a million rows as on ten thousand.
 */
export async function probeDueWork(
  { db }: PostgresRepositoryContext,
  input: MikaProbeDueWorkInput,
): Promise<MikaDueWork> {
  const now = portInput.requireTime(input.now, "now");
  const cutoff = portInput.requireTime(input.rawPayloadCutoff, "rawPayloadCutoff");
  const checks: Record<MikaDueWorkKind, RawBuilder<boolean>> = {
    dueEmails: anyRow("email_outbox", dueAt(now), DUE_ORDER),
    exhaustedEmails: anyRow(
      "email_outbox",
      sql`${EXHAUSTED_EMAIL} and lease_expires_at <= ${now}`,
      sql`lease_expires_at, id`,
    ),
    rawPayloads: anyRow(
      "webhook_events",
      sql`${PURGEABLE} and received_at <= ${cutoff}`,
      sql`received_at, id`,
    ),
    acpSessions: sql<boolean>`(${anyRow(
      "acp_sessions",
      sql`${OPEN} and expires_at <= ${now}`,
      sql`expires_at, id`,
    )} or ${anyRow(
      "acp_sessions",
      sql`purge_at is not null and purge_at <= ${now}`,
      sql`purge_at, id`,
    )})`,
    expiredReservations: anyRow(
      "stock_reservations",
      sql`status = 'active' and expires_at <= ${now}`,
      sql`expires_at, id`,
    ),
    expiredEphemeral: anyRow(
      "ephemeral_records",
      sql`expires_at <= ${now}`,
      sql`expires_at, kind, key`,
    ),
    queuedErasures: anyRow(
      "account_delete_requests",
      sql`status = 'queued'`,
      sql`requested_at, id`,
    ),
    exhaustedWorkflows: anyRow(
      "workflows",
      sql`${EXHAUSTED_WORKFLOW} and lease_expires_at <= ${now}`,
      sql`lease_expires_at, id`,
    ),
  };
  const columns = Object.entries(checks).map(([kind, check]) => sql`${check} as ${sql.ref(kind)}`);
  const { rows } = await sql<MikaDueWork>`select ${sql.join(columns)}`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("The due-work probe returned no row.");
  return row;
}
