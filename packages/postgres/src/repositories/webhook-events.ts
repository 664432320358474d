import {
  createRandomId,
  type MikaWebhookEventPort,
  type MikaWebhookEventRecord,
} from "@mika-maintenance/core";
import { type RawBuilder, type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { WebhookEventsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { fromJson, jsonParam, subjectOf, toIso, toIsoOrNull, toMetadata } from "./convert.ts";
import { erasureMatch, hasErasureSubject, subjectColumns } from "./erasure.ts";
import { findById } from "./find-by-id.ts";
import { sweep } from "./sweep.ts";

/** Events whose raw payload may go, as `webhook_events_purgeable_idx` holds them. */
export const PURGEABLE = sql<boolean>`raw_payload is not null and (processed_at is not null or normalized_payload is not null)`;

/**
 * Received at or before the event's provider's cutoff. The range on `received_at` ends at the
 * latest cutoff, so the purge index bounds the walk; the `case` applies each row's own.
 */
function receivedByCutoff(
  cutoff: string,
  providerCutoffs: Record<string, string>,
): RawBuilder<boolean> {
  const perProvider = Object.entries(providerCutoffs);
  if (perProvider.length === 0) return sql<boolean>`received_at <= ${cutoff}`;
  // Canonical UTC timestamps sort as text: the last is the latest.
  const latest = [cutoff, ...perProvider.map(([, time]) => time)].sort().at(-1) ?? cutoff;
  const own = sql.join(
    perProvider.map(([provider, time]) => sql`when ${provider} then ${time}::timestamptz`),
    sql` `,
  );
  return sql<boolean>`received_at <= ${latest}
    and received_at <= case provider ${own} else ${cutoff}::timestamptz end`;
}

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
    ...subjectOf(row),
    redactedAt: toIsoOrNull(row.redacted_at),
  };
}

/** The webhook half of `repositories.ops`, over `<prefix>webhook_events`. */
export function createPostgresWebhookEvents({
  db,
  newBatchSize,
}: PostgresRepositoryContext): MikaWebhookEventPort {
  const table = sql.table("webhook_events");
  const purgeBatchSize = newBatchSize();

  return {
    async recordWebhookEvent(input) {
      const inserted = await db
        .insertInto("webhook_events")
        .values({
          id: input.id ?? createRandomId(),
          provider: input.provider,
          event_type: input.eventType,
          external_id: input.externalId,
          received_at: portInput.requireTime(input.receivedAt, "receivedAt"),
          raw_payload: input.rawPayload,
          normalized_payload:
            input.normalizedPayload == null ? null : jsonParam(input.normalizedPayload),
          ...subjectColumns(input),
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
      const row = await findById(db, "webhook_events", eventId);
      return row ? toRecord(row) : null;
    },

    async markWebhookEventProcessed(input) {
      const now = portInput.requireTime(input.now, "now");
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
      const now = portInput.requireTime(input.now, "now");
      const cutoff = portInput.requireTime(input.cutoff, "cutoff");
      const providerCutoffs = portInput.optionalTimeMap(input.providerCutoffs, "providerCutoffs");
      const limit = portInput.requireLimit(input.limit, "limit");
      // By ctid, with no row lock: an event processed, redacted or purged by someone else since
      // the pick has a new ctid and is left alone.
      const { count, hasMore } = await sweep(
        db,
        {
          table,
          where: sql<boolean>`${PURGEABLE} and ${receivedByCutoff(cutoff, providerCutoffs)}`,
          orderBy: sql`received_at, id`,
          set: sql`raw_payload = null, raw_payload_purged_at = ${now}`,
          pick: "by-ctid",
        },
        limit,
        purgeBatchSize,
      );
      return { scanned: count, purged: count, hasMore };
    },

    async redactWebhookEventsForAccountDelete(input) {
      if (!hasErasureSubject(input)) return 0;
      const now = portInput.requireTime(input.now, "now");
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
