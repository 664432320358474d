import type { ISODateTime } from "@mika-maintenance/core";
import { type SQL, sql } from "drizzle-orm";
import { toStoredTime } from "../schema/columns.ts";
import type { MikaSqliteSchema } from "../schema/create-schema.ts";

// Each condition is the one its sweep runs, shared with the due-work probe so that the probe
// can never call a table idle that its sweep would change. Literal status lists repeat the
// partial indexes' WHERE clauses, so that SQLite can prove the index covers the query.

/** Due emails: what `claimDueEmails` leases at `now`. */
export function emailDueAt(t: MikaSqliteSchema["emailOutbox"], now: ISODateTime): SQL {
  const nowMs = toStoredTime(now);
  return sql`${t.status} in ('queued', 'failed') and ${t.attemptCount} < ${t.maxAttempts}
    and (${t.leaseExpiresAt} is null or ${t.leaseExpiresAt} <= ${nowMs})
    and (${t.nextAttemptAt} is null or ${t.nextAttemptAt} <= ${nowMs})`;
}

/** Webhook events whose raw payload is past retention at `cutoff`. */
export function rawPayloadPurgeable(
  t: MikaSqliteSchema["webhookEvents"],
  cutoff: ISODateTime,
): SQL {
  return sql`${t.rawPayload} is not null
    and (${t.processedAt} is not null or ${t.normalizedPayload} is not null)
    and ${t.receivedAt} <= ${toStoredTime(cutoff)}`;
}

/** Open ACP sessions past their TTL. */
export function acpPastTtl(t: MikaSqliteSchema["acpSessions"], now: ISODateTime): SQL {
  return sql`${t.status} in ('not_ready_for_payment', 'ready_for_payment', 'in_progress')
    and ${t.expiresAt} <= ${toStoredTime(now)}`;
}

/** Terminal ACP sessions past retention. */
export function acpPastRetention(t: MikaSqliteSchema["acpSessions"], now: ISODateTime): SQL {
  return sql`${t.purgeAt} is not null and ${t.purgeAt} <= ${toStoredTime(now)}`;
}

/** Active reservations past expiry. */
export function reservationExpired(
  t: MikaSqliteSchema["stockReservations"],
  now: ISODateTime,
): SQL {
  return sql`${t.status} = 'active' and ${t.expiresAt} <= ${toStoredTime(now)}`;
}
