import {
  createMikaMaintenanceRunner,
  type MikaRecordWebhookEventInput,
  type MikaWebhookEventPort,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, HOUR, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { dumpContains } from "../support/pii-scan.ts";
import { completed } from "../support/runners.ts";

const RETENTION_DAYS = 14;
const CUTOFF = at(-RETENTION_DAYS * DAY);

/** Records a webhook with a unique raw payload marker; `processed` marks it processed. */
async function recordEvent(
  ops: MikaWebhookEventPort,
  receivedAt: string,
  options: { processed?: boolean; normalized?: boolean; provider?: string } = {},
) {
  const marker = uniqueId("rawpayload");
  const input: MikaRecordWebhookEventInput = {
    id: uniqueId("evt"),
    provider: options.provider ?? "stripe",
    eventType: "checkout.session.completed",
    externalId: uniqueId("ext"),
    rawPayload: JSON.stringify({ marker, data: { object: { amount: 4900 } } }),
    normalizedPayload: options.normalized ? { kind: "payment", amountMinor: 4900 } : null,
    receivedAt,
  };
  const event = await ops.recordWebhookEvent(input);
  if (options.processed) {
    await ops.markWebhookEventProcessed({ eventId: event.id, now: at(HOUR, receivedAt) });
  }
  return { event, marker };
}

/** Raw webhook payload retention through the port and the `rawProviderPayloads` task. */
export const webhookRetentionGroup = defineConformanceGroup(
  "webhookRetention",
  "raw webhook payloads are dropped after retention, exactly at the cutoff, keeping the row",
  {
    "recordWebhookEvent stores the event and a duplicate (provider, externalId) returns it":
      async ({ repositories: { ops } }) => {
        const input: MikaRecordWebhookEventInput = {
          id: uniqueId("evt"),
          provider: "stripe",
          eventType: "invoice.paid",
          externalId: uniqueId("ext"),
          rawPayload: '{"id":"evt_1"}',
          receivedAt: T0,
        };
        const event = await ops.recordWebhookEvent(input);
        expect(event).toEqual({
          id: input.id,
          provider: "stripe",
          eventType: "invoice.paid",
          externalId: input.externalId,
          receivedAt: T0,
          processedAt: null,
          rawPayload: '{"id":"evt_1"}',
          normalizedPayload: null,
          rawPayloadPurgedAt: null,
          customerId: null,
          userId: null,
          emailHash: null,
          redactedAt: null,
        });
        const duplicate = await ops.recordWebhookEvent({
          ...input,
          id: uniqueId("evt"),
          rawPayload: '{"id":"evt_1","retry":true}',
          receivedAt: at(HOUR),
        });
        expect(duplicate).toEqual(event);
        const otherProvider = await ops.recordWebhookEvent({
          ...input,
          id: uniqueId("evt"),
          provider: "paypal",
        });
        expect(otherProvider.id).not.toBe(event.id);
        expect(await ops.getWebhookEvent(event.id)).toEqual(event);
        expect(await ops.getWebhookEvent(uniqueId("missing"))).toBeNull();
      },

    "markWebhookEventProcessed sets processedAt and the normalized payload": async ({
      repositories: { ops },
    }) => {
      const { event } = await recordEvent(ops, T0);
      const processed = await ops.markWebhookEventProcessed({
        eventId: event.id,
        now: at(HOUR),
        normalizedPayload: { kind: "refund", amountMinor: 100 },
      });
      expect(processed).toMatchObject({
        processedAt: at(HOUR),
        normalizedPayload: { kind: "refund", amountMinor: 100 },
        rawPayload: event.rawPayload,
      });
      expect(await ops.getWebhookEvent(event.id)).toEqual(processed);
      expect(
        await ops.markWebhookEventProcessed({ eventId: uniqueId("missing"), now: T0 }),
      ).toBeNull();
    },

    "payloads received exactly at the cutoff are purged, one millisecond after are kept": async ({
      repositories,
      dumpTables,
    }) => {
      const { ops } = repositories;
      const atCutoff = await recordEvent(ops, CUTOFF, { processed: true });
      const justAfter = await recordEvent(ops, at(1, CUTOFF), { processed: true });
      const old = await recordEvent(ops, at(-DAY, CUTOFF), { normalized: true });
      const runner = createMikaMaintenanceRunner({ repositories: { ops } });
      const result = completed(
        (await runner.runOnce({ now: T0, rawProviderPayloadRetentionDays: RETENTION_DAYS }))
          .rawProviderPayloads,
      );
      expect(result).toEqual({ scanned: 2, purged: 2, hasMore: false });
      const purged = await ops.getWebhookEvent(atCutoff.event.id);
      expect(purged).toMatchObject({
        id: atCutoff.event.id,
        rawPayload: null,
        rawPayloadPurgedAt: T0,
        processedAt: at(HOUR, CUTOFF),
      });
      expect(await ops.getWebhookEvent(old.event.id)).toMatchObject({
        rawPayload: null,
        rawPayloadPurgedAt: T0,
        normalizedPayload: { kind: "payment", amountMinor: 4900 },
      });
      expect(await ops.getWebhookEvent(justAfter.event.id)).toMatchObject({
        rawPayload: justAfter.event.rawPayload,
        rawPayloadPurgedAt: null,
      });
      const dump = await dumpTables();
      expect(dumpContains(dump, atCutoff.marker)).toBe(false);
      expect(dumpContains(dump, old.marker)).toBe(false);
      expect(dumpContains(dump, justAfter.marker)).toBe(true);
      expect(dumpContains(dump, atCutoff.event.id)).toBe(true);
      const again = completed((await runner.runOnce({ now: T0 })).rawProviderPayloads);
      expect(again).toEqual({ scanned: 0, purged: 0, hasMore: false });
    },

    "an unprocessed event without a normalized payload keeps its raw payload": async ({
      repositories: { ops },
    }) => {
      const pending = await recordEvent(ops, at(-30 * DAY));
      const result = await ops.purgeWebhookRawPayloads({ now: T0, cutoff: CUTOFF, limit: 10 });
      expect(result).toEqual({ scanned: 0, purged: 0, hasMore: false });
      expect(await ops.getWebhookEvent(pending.event.id)).toEqual(pending.event);
    },

    "fractional retention days are honoured to the millisecond": async ({ repositories }) => {
      const { ops } = repositories;
      const halfDay = await recordEvent(ops, at(-DAY / 2), { processed: true });
      const younger = await recordEvent(ops, at(-DAY / 2 + 1), { processed: true });
      const runner = createMikaMaintenanceRunner({ repositories: { ops } });
      const result = completed(
        (await runner.runOnce({ now: T0, rawProviderPayloadRetentionDays: 0.5 }))
          .rawProviderPayloads,
      );
      expect(result.purged).toBe(1);
      expect((await ops.getWebhookEvent(halfDay.event.id))?.rawPayload).toBeNull();
      expect((await ops.getWebhookEvent(younger.event.id))?.rawPayload).not.toBeNull();
    },

    "purgeWebhookRawPayloads is bounded by its limit and reports hasMore": async ({
      repositories: { ops },
    }) => {
      for (let index = 0; index < 3; index += 1) {
        await recordEvent(ops, at(-index, CUTOFF), { processed: true });
      }
      const input = { now: T0, cutoff: CUTOFF, limit: 2 };
      expect(await ops.purgeWebhookRawPayloads(input)).toEqual({
        scanned: 2,
        purged: 2,
        hasMore: true,
      });
      expect(await ops.purgeWebhookRawPayloads(input)).toEqual({
        scanned: 1,
        purged: 1,
        hasMore: false,
      });
    },

    "per-provider retention: each provider's payloads go exactly at its own cutoff, others at the default":
      async ({ repositories: { ops } }) => {
        const retention = { default: RETENTION_DAYS, paypal: 2, adyen: 30 };
        const cutoffOf = (days: number) => at(-days * DAY);
        const seeded = {
          paypalAt: await recordEvent(ops, cutoffOf(2), { processed: true, provider: "paypal" }),
          paypalAfter: await recordEvent(ops, at(1, cutoffOf(2)), {
            processed: true,
            provider: "paypal",
          }),
          adyenAt: await recordEvent(ops, cutoffOf(30), { processed: true, provider: "adyen" }),
          // Past the default's cutoff, inside adyen's own 30 days: kept.
          adyenAfter: await recordEvent(ops, at(1, cutoffOf(30)), {
            processed: true,
            provider: "adyen",
          }),
          stripeAt: await recordEvent(ops, CUTOFF, { processed: true }),
          stripeAfter: await recordEvent(ops, at(1, CUTOFF), { processed: true }),
          otherAt: await recordEvent(ops, CUTOFF, { processed: true, provider: "mollie" }),
        };
        const runner = createMikaMaintenanceRunner({ repositories: { ops } });
        const result = completed(
          (await runner.runOnce({ now: T0, rawProviderPayloadRetentionDays: retention }))
            .rawProviderPayloads,
        );
        expect(result).toEqual({ scanned: 4, purged: 4, hasMore: false });
        const purged = Object.fromEntries(
          await Promise.all(
            Object.entries(seeded).map(async ([name, { event }]) => [
              name,
              (await ops.getWebhookEvent(event.id))?.rawPayload === null,
            ]),
          ),
        );
        expect(purged).toEqual({
          paypalAt: true,
          paypalAfter: false,
          adyenAt: true,
          adyenAfter: false,
          stripeAt: true,
          stripeAfter: false,
          otherAt: true,
        });
      },

    "providerCutoffs through the port: a provider's own cutoff wins, even when later than the default":
      async ({ repositories: { ops } }) => {
        const lenient = await recordEvent(ops, at(-DAY), { processed: true, provider: "paypal" });
        const strict = await recordEvent(ops, at(-DAY), { processed: true });
        const input = {
          now: T0,
          cutoff: CUTOFF,
          providerCutoffs: { paypal: at(-HOUR) },
          limit: 10,
        };
        expect(await ops.purgeWebhookRawPayloads(input)).toEqual({
          scanned: 1,
          purged: 1,
          hasMore: false,
        });
        expect((await ops.getWebhookEvent(lenient.event.id))?.rawPayload).toBeNull();
        expect(await ops.getWebhookEvent(strict.event.id)).toMatchObject({
          rawPayload: strict.event.rawPayload,
          rawPayloadPurgedAt: null,
        });
      },

    "a bad providerCutoffs entry is rejected naming it, and nothing is purged": async ({
      repositories: { ops },
    }) => {
      const kept = await recordEvent(ops, at(-30 * DAY), { processed: true });
      const error = await ops
        .purgeWebhookRawPayloads({
          now: T0,
          cutoff: CUTOFF,
          providerCutoffs: { paypal: "yesterday" },
          limit: 10,
        })
        .then(
          () => null,
          (thrown: unknown) => thrown,
        );
      expect(error).toMatchObject({ field: "providerCutoffs.paypal" });
      expect(String((error as Error).message)).toMatch(/providerCutoffs\.paypal must be/);
      expect((await ops.getWebhookEvent(kept.event.id))?.rawPayload).toBe(kept.event.rawPayload);
    },
  },
);
