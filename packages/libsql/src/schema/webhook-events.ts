import type { MikaMetadata } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** Provider webhooks, with raw payloads kept only for the retention period. */
export function webhookEventsTable(prefix: string) {
  const name = `${prefix}webhook_events`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      provider: text("provider").notNull(),
      eventType: text("event_type").notNull(),
      externalId: text("external_id").notNull(),
      receivedAt: isoTime("received_at").notNull(),
      processedAt: isoTime("processed_at"),
      rawPayload: text("raw_payload"),
      normalizedPayload: jsonText("normalized_payload").$type<MikaMetadata>(),
      rawPayloadPurgedAt: isoTime("raw_payload_purged_at"),
    },
    (t) => [
      uniqueIndex(`${name}_external_idx`).on(t.provider, t.externalId),
      // purgeWebhookRawPayloads: only events whose raw payload may go are indexed.
      index(`${name}_purge_idx`)
        .on(t.receivedAt, t.id)
        .where(
          sql`${t.rawPayload} is not null and (${t.processedAt} is not null or ${t.normalizedPayload} is not null)`,
        ),
    ],
  );
}
