import {
  createRandomId,
  type MikaWebhookEventPort,
  type MikaWebhookEventRecord,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { requireLimit, requireTime } from "../input.ts";
import type { WebhookEventsTable } from "../schema/tables.ts";
import { runInBatches } from "./batches.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { fromJson, jsonParam, toIso, toIsoOrNull, toMetadata, toNumber } from "./convert.ts";
import { erasureMatch, hasErasureSubject } from "./erasure.ts";
import { rowsLeft } from "./rows-left.ts";

/** Events whose raw payload may go, as `webhook_events_purgeable_idx` holds them. */
const PURGEABLE = sql<boolean>`raw_payload is not null and (processed_at is not null or normalized_payload is not null)`;

function toRecord(row: Selectable<WebhookEventsTable>): MikaWebhookEventRecord {
  return {
    id: row.id,
    provider: row.provider,
    eventType: row.event_type,
    externalId: row.external_id,
    receivedAt: toIso(row.received_at),
    processedAt: toIsoOrNull(row.processed_at),
    rawPayload: row.raw_payload,
    normalizedPayload:
      row.normalized_payload === null ? null : toMetadata(fromJson(row.normalized_payload)),
    rawPayloadPurgedAt: toIsoOrNull(row.raw_payload_purged_at),
    customerId: row.customer_id,
    userId: row.user_id,
    emailHash: row.email_hash,
    redactedAt: toIsoOrNull(row.redacted_at),
  };
}

/** The webhook half of `repositories.ops`, over `<prefix>webhook_events`. */
export function createPostgresWebhookEvents({
  db,
  batchSize,
}: PostgresRepositoryContext): MikaWebhookEventPort {
  const table = sql.table("webhook_events");

  return {
    async recordWebhookEvent(input) {
      const inserted = await db
        .insertInto("webhook_events")
        .values({
          id: input.id ?? createRandomId(),
          provider: input.provider,
          event_type: input.eventType,
          external_id: input.externalId,
          received_at: requireTime(input.receivedAt, "receivedAt"),
          raw_payload: input.rawPayload,
          normalized_payload:
            input.normalizedPayload == null ? null : jsonParam(input.normalizedPayload),
          customer_id: input.customerId ?? null,
          user_id: input.userId ?? null,
          email_hash: input.emailHash ?? null,
        })
        .onConflict((conflict) => conflict.columns(["provider", "external_id"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return toRecord(inserted);
      const existing = await db
        .selectFrom("webhook_events")
        .selectAll()
        .where("provider", "=", input.provider)
        .where("external_id", "=", input.externalId)
        .executeTakeFirstOrThrow();
      return toRecord(existing);
    },

    async getWebhookEvent(eventId) {
      const row = await db
        .selectFrom("webhook_events")
        .selectAll()
        .where("id", "=", eventId)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async markWebhookEventProcessed(input) {
      const now = requireTime(input.now, "now");
      const row = await db
        .updateTable("webhook_events")
        .set({
          processed_at: sql<string>`coalesce(processed_at, ${now}::timestamptz)`,
          ...(input.normalizedPayload === undefined
            ? {}
            : {
                normalized_payload:
                  input.normalizedPayload === null ? null : jsonParam(input.normalizedPayload),
              }),
          ...(input.customerId === undefined ? {} : { customer_id: input.customerId }),
          ...(input.userId === undefined ? {} : { user_id: input.userId }),
          ...(input.emailHash === undefined ? {} : { email_hash: input.emailHash }),
        })
        .where("id", "=", input.eventId)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async purgeWebhookRawPayloads(input) {
      const now = requireTime(input.now, "now");
      const cutoff = requireTime(input.cutoff, "cutoff");
      const limit = requireLimit(input.limit, "limit");
      const due = sql<boolean>`${PURGEABLE} and received_at <= ${cutoff}`;
      const more = rowsLeft({
        table,
        where: due,
        orderBy: sql`received_at, id`,
        excluding: sql`id not in (select id from purged)`,
      });
      const { count, hasMore } = await runInBatches(limit, batchSize, async (size) => {
        // Picked by ctid: each row is updated where the index walk found it, with no second
        // primary-key lookup. A row another session changed after this statement's snapshot
        // is locked at a ctid the snapshot cannot see, so it is left for the next batch, and
        // the probe, which still sees it as due, reports it. The probe is why `returning id`
        // stays: the statement's snapshot still shows the rows it purged as due.
        const { rows } = await sql<{ purged: string | number; more: boolean }>`
          with purged as (
            update ${table}
            set raw_payload = null, raw_payload_purged_at = ${now}
            where ctid = any(array(
              select ctid from ${table}
              where ${due}
              order by received_at, id
              limit ${size}
              for update skip locked
            ))
            returning id
          )
          select (select count(*) from purged) as purged, ${more} as more
        `.execute(db);
        const row = rows[0];
        return { count: toNumber(row?.purged ?? 0), more: row?.more ?? false };
      });
      return { scanned: count, purged: count, hasMore };
    },

    async redactWebhookEventsForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      const now = requireTime(input.now, "now");
      const result = await db
        .updateTable("webhook_events")
        .set({
          // Every SET expression reads the row as it was before this UPDATE.
          raw_payload_purged_at: sql<
            string | null
          >`case when raw_payload is null then raw_payload_purged_at else ${now}::timestamptz end`,
          raw_payload: null,
          normalized_payload: null,
          user_id: null,
          email_hash: null,
          redacted_at: now,
        })
        .where(sql<boolean>`redacted_at is null`)
        .where((eb) => erasureMatch(eb, input))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
