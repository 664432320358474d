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
      // Added by 0003_erasure_subjects (decision 0011): whom the event is about.
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      redactedAt: isoTime("redacted_at"),
    },
    (t) => [
      uniqueIndex(`${name}_external_idx`).on(t.provider, t.externalId),
      // purgeWebhookRawPayloads: only events whose raw payload may go are indexed.
      index(`${name}_purge_idx`)
        .on(t.receivedAt, t.id)
        .where(
          sql`${t.rawPayload} is not null and (${t.processedAt} is not null or ${t.normalizedPayload} is not null)`,
        ),
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}
