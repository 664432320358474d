import {
  createRandomId,
  type ISODateTime,
  type MikaWebhookEventPort,
  type MikaWebhookEventRecord,
} from "@mika-maintenance/core";
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import {
  optionalTimeMap,
  requireLimit,
  requireString,
  requireText,
  requireTime,
} from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import { rawPayloadPurgeable } from "./due-conditions.ts";
import { rowById } from "./rows.ts";
import { updateSubjectRows } from "./sql-helpers.ts";
import { newSweepBatchSize, sweep } from "./sweep.ts";

/** The webhook-event part of `repositories.ops`, over `<prefix>webhook_events`. */
export function createSqliteWebhookEvents(database: MikaSqliteDatabase): MikaWebhookEventPort {
  const t = database.tables.webhookEvents;
  const purgeBatchSize = newSweepBatchSize();

  /**
   * The probe's condition at the latest cutoff (its range on the purge index), narrowed by a
   * `case` on the provider so each row meets its own provider's cutoff.
   */
  function isPurgeable(cutoff: ISODateTime, providerCutoffs: Record<string, ISODateTime>): SQL {
    const perProvider = Object.entries(providerCutoffs);
    // Canonical UTC timestamps sort as text: the last is the latest.
    const latest = [cutoff, ...perProvider.map(([, time]) => time)].sort().at(-1) ?? cutoff;
    const ownCutoff =
      perProvider.length === 0
        ? sql``
        : sql` and ${t.receivedAt} <= case ${t.provider} ${sql.join(
            perProvider.map(([provider, time]) => sql`when ${provider} then ${toStoredTime(time)}`),
            sql` `,
          )} else ${toStoredTime(cutoff)} end`;
    return sql`${rawPayloadPurgeable(t, latest)}${ownCutoff}`;
  }

  return {
    async recordWebhookEvent(input) {
      const row: MikaWebhookEventRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        provider: requireText(input.provider, "provider"),
        eventType: requireText(input.eventType, "eventType"),
        externalId: requireText(input.externalId, "externalId"),
        receivedAt: requireTime(input.receivedAt, "receivedAt"),
        processedAt: null,
        rawPayload: requireString(input.rawPayload, "rawPayload"),
        normalizedPayload: input.normalizedPayload ?? null,
        rawPayloadPurgedAt: null,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        redactedAt: null,
      };
      return database.run(async (db) => {
        const [inserted] = await db
          .insert(t)
          .values(row)
          .onConflictDoNothing({ target: [t.provider, t.externalId] })
          .returning();
        if (inserted) return inserted;
        const [existing] = await db
          .select()
          .from(t)
          .where(and(eq(t.provider, row.provider), eq(t.externalId, row.externalId)));
        return existing!;
      });
    },

    async getWebhookEvent(eventId) {
      return rowById(database, t, eventId);
    },

    async markWebhookEventProcessed(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            // The first processing time is the one that counts; a redelivery does not move it.
            processedAt: sql`coalesce(${t.processedAt}, ${toStoredTime(now)})`,
            ...(input.normalizedPayload === undefined
              ? {}
              : { normalizedPayload: input.normalizedPayload }),
            ...(input.customerId === undefined ? {} : { customerId: input.customerId }),
            ...(input.userId === undefined ? {} : { userId: input.userId }),
            ...(input.emailHash === undefined ? {} : { emailHash: input.emailHash }),
          })
          .where(eq(t.id, input.eventId))
          .returning();
        return row ?? null;
      });
    },

    async purgeWebhookRawPayloads(input) {
      const now = requireTime(input.now, "now");
      const cutoff = requireTime(input.cutoff, "cutoff");
      const providerCutoffs = optionalTimeMap(input.providerCutoffs, "providerCutoffs");
      const limit = requireLimit(input.limit);
      const { count, hasMore } = await sweep(
        database,
        {
          table: t,
          where: isPurgeable(cutoff, providerCutoffs),
          orderBy: [t.receivedAt, t.id],
          set: { rawPayload: null, rawPayloadPurgedAt: now },
        },
        limit,
        purgeBatchSize,
      );
      return { scanned: count, purged: count, hasMore };
    },

    async redactWebhookEventsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      return updateSubjectRows(
        database,
        t,
        input,
        {
          // Every SET expression reads the row as it was before this UPDATE.
          rawPayloadPurgedAt: sql`case when ${t.rawPayload} is null then ${t.rawPayloadPurgedAt} else ${toStoredTime(now)} end`,
          rawPayload: null,
          normalizedPayload: null,
          userId: null,
          emailHash: null,
          redactedAt: now,
        },
        isNull(t.redactedAt),
      );
    },
  };
}
