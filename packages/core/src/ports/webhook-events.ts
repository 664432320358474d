import type { ISODateTime } from "../time.ts";
import type { MikaMetadata } from "./common.ts";

/** A provider webhook as received; the raw payload is kept only for the retention period. */
export interface MikaWebhookEventRecord {
  id: string;
  provider: string;
  eventType: string;
  /** The provider's own event id, unique per provider. */
  externalId: string;
  receivedAt: ISODateTime;
  processedAt: ISODateTime | null;
  rawPayload: string | null;
  normalizedPayload: MikaMetadata | null;
  rawPayloadPurgedAt: ISODateTime | null;
}

/** What `recordWebhookEvent` takes. */
export interface MikaRecordWebhookEventInput {
  id?: string;
  provider: string;
  eventType: string;
  externalId: string;
  rawPayload: string;
  normalizedPayload?: MikaMetadata | null;
  receivedAt: ISODateTime;
}

/** What `purgeWebhookRawPayloads` takes: the retention cutoff and a batch limit. */
export interface MikaPurgeWebhookRawPayloadsInput {
  now: ISODateTime;
  /** Events received at or before this instant are past retention. */
  cutoff: ISODateTime;
  limit: number;
}

/** Counts from one purge of retained webhook payloads. */
export interface MikaPurgeWebhookRawPayloadsResult {
  scanned: number;
  purged: number;
  hasMore: boolean;
}

/** Webhook event storage with raw-payload retention. */
export interface MikaWebhookEventPort {
  /** Records a webhook; a duplicate (`provider`, `externalId`) returns the existing row. */
  recordWebhookEvent(input: MikaRecordWebhookEventInput): Promise<MikaWebhookEventRecord>;
  getWebhookEvent(eventId: string): Promise<MikaWebhookEventRecord | null>;
  /** Marks an event processed, optionally storing its normalized payload. */
  markWebhookEventProcessed(input: {
    eventId: string;
    now: ISODateTime;
    normalizedPayload?: MikaMetadata | null;
  }): Promise<MikaWebhookEventRecord | null>;
  /**
   * Removes the raw payload of up to `limit` events with `receivedAt <= cutoff`, a raw payload
   * still present, and either `processedAt` or a normalized payload; sets `rawPayloadPurgedAt =
   * now`. The event rows stay.
   */
  purgeWebhookRawPayloads(
    input: MikaPurgeWebhookRawPayloadsInput,
  ): Promise<MikaPurgeWebhookRawPayloadsResult>;
}
