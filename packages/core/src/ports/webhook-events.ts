import type { ISODateTime } from "../time.ts";
import type { MikaMetadata } from "./common.ts";
import type { MikaErasureSubject, MikaRedactEmailsInput } from "./email-outbox.ts";

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
  /** The person the event is about, so an erasure can find it (decision 0011). */
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
  /** When an erasure removed both payloads; redacted rows are never matched again. */
  redactedAt: ISODateTime | null;
}

/** The subject of a webhook event when the host knows it; see `MikaErasureSubject`. */
export type MikaWebhookEventSubject = Partial<MikaErasureSubject>;

/** What `recordWebhookEvent` takes. */
export interface MikaRecordWebhookEventInput extends MikaWebhookEventSubject {
  id?: string;
  provider: string;
  eventType: string;
  externalId: string;
  rawPayload: string;
  normalizedPayload?: MikaMetadata | null;
  receivedAt: ISODateTime;
}

/** What `purgeWebhookRawPayloads` takes: the retention cutoffs and a batch limit. */
export interface MikaPurgeWebhookRawPayloadsInput {
  now: ISODateTime;
  /** Events received at or before this instant are past retention (providers not named below). */
  cutoff: ISODateTime;
  /**
   * A cutoff of its own for each provider named here (by `provider`, exactly as recorded);
   * events of every other provider use `cutoff`.
   */
  providerCutoffs?: Readonly<Record<string, ISODateTime>>;
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
  /**
   * Marks an event processed, optionally storing its normalized payload and the person it turned
   * out to be about (a subject given here replaces each identity it names; omitted ones stay).
   */
  markWebhookEventProcessed(
    input: {
      eventId: string;
      now: ISODateTime;
      normalizedPayload?: MikaMetadata | null;
    } & MikaWebhookEventSubject,
  ): Promise<MikaWebhookEventRecord | null>;
  /**
   * Removes the raw payload of up to `limit` events with `receivedAt <=` their provider's cutoff
   * (`providerCutoffs[provider]`, else `cutoff`), a raw payload
   * still present, and either `processedAt` or a normalized payload; sets `rawPayloadPurgedAt =
   * now`. The event rows stay.
   */
  purgeWebhookRawPayloads(
    input: MikaPurgeWebhookRawPayloadsInput,
  ): Promise<MikaPurgeWebhookRawPayloadsResult>;
  /**
   * Erasure: events matching the subject and not yet redacted lose both payloads (a raw payload
   * still present also sets `rawPayloadPurgedAt = now`); `userId`/`emailHash` removed,
   * `redactedAt = now`. The rows stay, so a redelivered event is still recognised as a
   * duplicate. Returns the rows changed; a second call returns 0.
   */
  redactWebhookEventsForAccountDelete(input: MikaRedactEmailsInput): Promise<number>;
}
