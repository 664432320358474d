import type { MikaWebhookEventPort, MikaWebhookEventRecord } from "@mika-maintenance/core";
import { copy, insertRow, readById, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows, subjectColumns } from "./erasure-subject.ts";

/** The webhook-event part of `repositories.ops`. */
export function createMemoryWebhookEvents(state: MemoryState): MikaWebhookEventPort {
  const events = state.tables.webhookEvents;

  function findByExternalId(provider: string, externalId: string) {
    for (const event of events.values()) {
      if (event.provider === provider && event.externalId === externalId) return event;
    }
    return undefined;
  }

  return {
    async recordWebhookEvent(input) {
      const provider = portInput.requireText(input.provider, "provider");
      const externalId = portInput.requireText(input.externalId, "externalId");
      const receivedAt = portInput.requireTime(input.receivedAt, "receivedAt");
      const existing = findByExternalId(provider, externalId);
      if (existing) return copy(existing);
      const id = state.idFor(input.id, "id");
      const event: MikaWebhookEventRecord = {
        id,
        provider,
        eventType: portInput.requireText(input.eventType, "eventType"),
        externalId,
        receivedAt,
        processedAt: null,
        rawPayload: portInput.requireString(input.rawPayload, "rawPayload"),
        normalizedPayload: input.normalizedPayload ? copy(input.normalizedPayload) : null,
        rawPayloadPurgedAt: null,
        ...subjectColumns(input),
        redactedAt: null,
      };
      return copy(insertRow(events, "webhookEvents", id, event));
    },

    getWebhookEvent: readById(events),

    async markWebhookEventProcessed(input) {
      const now = portInput.requireTime(input.now, "now");
      const event = events.get(input.eventId);
      if (!event) return null;
      // The first processing time is the one that counts; a redelivery does not move it.
      event.processedAt = event.processedAt ?? now;
      if (input.normalizedPayload !== undefined) {
        event.normalizedPayload =
          input.normalizedPayload === null ? null : copy(input.normalizedPayload);
      }
      if (input.customerId !== undefined) event.customerId = input.customerId;
      if (input.userId !== undefined) event.userId = input.userId;
      if (input.emailHash !== undefined) event.emailHash = input.emailHash;
      return copy(event);
    },

    async purgeWebhookRawPayloads(input) {
      const now = portInput.requireTime(input.now, "now");
      const cutoff = portInput.requireTime(input.cutoff, "cutoff");
      const providerCutoffs = portInput.optionalTimeMap(input.providerCutoffs, "providerCutoffs");
      const limit = portInput.requireLimit(input.limit);
      const purgeable = sortRows(
        [...events.values()].filter(
          (event) =>
            event.receivedAt <=
              (Object.hasOwn(providerCutoffs, event.provider)
                ? providerCutoffs[event.provider]!
                : cutoff) &&
            event.rawPayload !== null &&
            (event.processedAt !== null || event.normalizedPayload !== null),
        ),
        (event) => [event.receivedAt, event.id],
      );
      const { batch, hasMore } = takeBatch(purgeable, limit);
      for (const event of batch) {
        event.rawPayload = null;
        event.rawPayloadPurgedAt = now;
      }
      return { scanned: batch.length, purged: batch.length, hasMore };
    },

    async redactWebhookEventsForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      return eraseSubjectRows(
        events.values(),
        input,
        (event) => event.redactedAt === null,
        (event) => {
          if (event.rawPayload !== null) event.rawPayloadPurgedAt = now;
          event.rawPayload = null;
          event.normalizedPayload = null;
          event.userId = null;
          event.emailHash = null;
          event.redactedAt = now;
        },
      );
    },
  };
}
