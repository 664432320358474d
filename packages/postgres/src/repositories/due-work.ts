import type { MikaDueWork, MikaDueWorkKind, MikaProbeDueWorkInput } from "@mika-maintenance/core";
import { type RawBuilder, sql } from "kysely";
import { OPEN } from "./acp-sessions.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { isoParam } from "./convert.ts";
import { dueAt, EXHAUSTED_EMAIL } from "./email-outbox.ts";
import { PURGEABLE } from "./webhook-events.ts";
import { EXHAUSTED_WORKFLOW } from "./workflows.ts";

/** `exists` over `table` where `condition` holds: one probe of the index that sweep walks. */
function anyRow(table: string, condition: RawBuilder<boolean>): RawBuilder<boolean> {
  return sql<boolean>`exists (select from ${sql.table(table)} where ${condition})`;
}

/**
 * Which sweeps would find anything to do, in one statement: each kind is an `exists` on the
 * sweep's own condition, so it stops at the first due row of the partial index the sweep
 * walks and costs the same on a million rows as on ten thousand.
 */
export async function probeDueWork(
  { db }: PostgresRepositoryContext,
  input: MikaProbeDueWorkInput,
): Promise<MikaDueWork> {
  const now = isoParam("now", input.now);
  const cutoff = isoParam("rawPayloadCutoff", input.rawPayloadCutoff);
  const checks: Record<MikaDueWorkKind, RawBuilder<boolean>> = {
    dueEmails: anyRow("email_outbox", dueAt(now)),
    exhaustedEmails: anyRow("email_outbox", sql`${EXHAUSTED_EMAIL} and lease_expires_at <= ${now}`),
    rawPayloads: anyRow("webhook_events", sql`${PURGEABLE} and received_at <= ${cutoff}`),
    acpSessions: sql<boolean>`(${anyRow("acp_sessions", sql`${OPEN} and expires_at <= ${now}`)}
      or ${anyRow("acp_sessions", sql`purge_at is not null and purge_at <= ${now}`)})`,
    expiredReservations: anyRow(
      "stock_reservations",
      sql`status = 'active' and expires_at <= ${now}`,
    ),
    expiredEphemeral: anyRow("ephemeral_records", sql`expires_at <= ${now}`),
    queuedErasures: anyRow("account_delete_requests", sql`status = 'queued'`),
    exhaustedWorkflows: anyRow(
      "workflows",
      sql`${EXHAUSTED_WORKFLOW} and lease_expires_at <= ${now}`,
    ),
  };
  const columns = Object.entries(checks).map(([kind, check]) => sql`${check} as ${sql.ref(kind)}`);
  const { rows } = await sql<MikaDueWork>`select ${sql.join(columns)}`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("The due-work probe returned no row.");
  return row;
}
