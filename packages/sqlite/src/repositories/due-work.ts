import type { MikaDueWork, MikaDueWorkKind, MikaProbeDueWorkInput } from "@mika-maintenance/core";
import { lte, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireTime } from "../input.ts";
import {
  acpPastRetention,
  acpPastTtl,
  emailDueAt,
  rawPayloadPurgeable,
  reservationExpired,
} from "./due-conditions.ts";
import { exhaustedAt } from "./leased-rows.ts";

function anyRow(table: SQLiteTable, condition: SQL): SQL {
  return sql`exists (select 1 from ${table} where ${condition})`;
}

/**
 * Which sweeps would find anything to do, in one statement: each kind is an `exists` on the
 * sweep's own condition (shared with the sweep), stopping at the first due row of the index
 * that sweep walks.
 */
export function probeDueWork(
  database: MikaSqliteDatabase,
  input: MikaProbeDueWorkInput,
): Promise<MikaDueWork> {
  const now = requireTime(input.now, "now");
  const cutoff = requireTime(input.rawPayloadCutoff, "rawPayloadCutoff");
  const t = database.tables;
  const checks: Record<MikaDueWorkKind, SQL> = {
    dueEmails: anyRow(t.emailOutbox, emailDueAt(t.emailOutbox, now)),
    exhaustedEmails: anyRow(
      t.emailOutbox,
      exhaustedAt(t.emailOutbox, "queued", now, sql`${t.emailOutbox.lastError} is null`),
    ),
    rawPayloads: anyRow(t.webhookEvents, rawPayloadPurgeable(t.webhookEvents, cutoff)),
    acpSessions: sql`(${anyRow(t.acpSessions, acpPastTtl(t.acpSessions, now))}
      or ${anyRow(t.acpSessions, acpPastRetention(t.acpSessions, now))})`,
    expiredReservations: anyRow(t.stockReservations, reservationExpired(t.stockReservations, now)),
    expiredEphemeral: anyRow(t.ephemeralRecords, lte(t.ephemeralRecords.expiresAt, now)),
    queuedErasures: anyRow(
      t.accountDeleteRequests,
      sql`${t.accountDeleteRequests.status} = 'queued'`,
    ),
    exhaustedWorkflows: anyRow(t.workflows, exhaustedAt(t.workflows, "running", now)),
  };
  const columns = Object.entries(checks).map(
    ([kind, check]) => sql`${check} as ${sql.identifier(kind)}`,
  );
  return database.run(async (db) => {
    const [row] = await db.all<Record<MikaDueWorkKind, number>>(
      sql`select ${sql.join(columns, sql`, `)}`,
    );
    if (!row) throw new Error("The due-work probe returned no row.");
    return Object.fromEntries(
      Object.entries(checks).map(([kind]) => [kind, Number(row[kind as MikaDueWorkKind]) !== 0]),
    ) as MikaDueWork;
  });
}
