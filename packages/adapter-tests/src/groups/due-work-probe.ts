import { MIKA_DUE_WORK_KINDS, type MikaRepositories } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { enqueueTestEmail } from "../support/seed-emails.ts";
import { seedExhaustedEmail, seedExhaustedWorkflow } from "../support/seed-exhausted.ts";
import { seedReservation, seedStockItem } from "../support/seed-stock.ts";

/** The default raw-payload retention, which the probe's cutoff is computed from. */
const RETENTION_MS = 14 * DAY;

/** One item for every task, each falling due at exactly T0 (a request is due as soon as queued). */
async function seedWorkDueAtT0(repositories: MikaRepositories) {
  const { ops, stock, ephemeral, acpSessions } = repositories;
  await enqueueTestEmail(ops, { now: at(-HOUR), nextAttemptAt: T0 });
  await seedExhaustedEmail(ops, 0);
  await ops.recordWebhookEvent({
    provider: "stripe",
    eventType: "charge.succeeded",
    externalId: uniqueId("ext"),
    rawPayload: '{"object":"charge"}',
    normalizedPayload: { kind: "charge" },
    receivedAt: at(-RETENTION_MS),
  });
  const session = acpSessions.createSession
    ? await acpSessions.createSession({ now: at(-15 * MINUTE), ttlMs: 15 * MINUTE })
    : null;
  const item = await seedStockItem(stock, 10);
  await seedReservation(stock, { stockItemId: item.id, quantity: 1, expiresAt: T0 });
  await ephemeral.putEphemeralRecord({
    kind: "nonce",
    key: uniqueId("nonce"),
    expiresAt: T0,
    now: at(-HOUR),
  });
  await ops.queueAccountDeleteRequest({ userId: uniqueId("usr"), now: at(-HOUR) });
  await seedExhaustedWorkflow(ops, 0);
  return { acpSession: session !== null };
}

/**
 * The due-work probe (`repositories.store.probeDueWork`, optional) and the runner's use of it:
 * a task with work is never reported idle. Adapters without the probe run every task, and
 * pass the same tests.
 */
export const dueWorkProbeGroup = defineConformanceGroup(
  "dueWorkProbe",
  "the due-work probe never calls a task idle that has work, at the instant the work falls due",
  {
    "an empty store has no due work, and a sweep completes every task with zero counts": async ({
      repositories,
    }) => {
      const probe = repositories.store?.probeDueWork;
      if (probe) {
        const due = await probe({ now: T0, rawPayloadCutoff: at(-RETENTION_MS) });
        expect(due).toEqual(Object.fromEntries(MIKA_DUE_WORK_KINDS.map((kind) => [kind, false])));
      }
      const { runner, sender } = createTestRunner(repositories);
      const run = await runner.runOnce({ now: T0 });
      expect(completed(run.emailOutbox)).toMatchObject({ scanned: 0, sent: 0, hasMore: false });
      expect(completed(run.stuckEmails)).toEqual({ scanned: 0, reclaimed: 0, hasMore: false });
      expect(completed(run.rawProviderPayloads)).toEqual({ scanned: 0, purged: 0, hasMore: false });
      expect(completed(run.acpSessions)).toEqual({
        scanned: 0,
        expired: 0,
        purged: 0,
        hasMore: false,
      });
      expect(completed(run.stockReservations)).toEqual({
        reservationsScanned: 0,
        reservationsReleased: 0,
        stockItems: 0,
        hasMore: false,
      });
      expect(completed(run.ephemeralRecords)).toEqual({ purged: 0, hasMore: false });
      expect(completed(run.accountDeleteRequests)).toMatchObject({ scanned: 0, hasMore: false });
      expect(completed(run.stuckWorkflows)).toEqual({ scanned: 0, reclaimed: 0, hasMore: false });
      expect(sender.sent).toEqual([]);
    },

    "work due at exactly now is reported and moved; a millisecond earlier it is not due": async ({
      repositories,
    }) => {
      const { acpSession } = await seedWorkDueAtT0(repositories);
      const probe = repositories.store?.probeDueWork;
      if (probe) {
        const early = await probe({ now: at(-1), rawPayloadCutoff: at(-RETENTION_MS - 1) });
        expect(early).toEqual({
          ...Object.fromEntries(MIKA_DUE_WORK_KINDS.map((kind) => [kind, false])),
          queuedErasures: true,
        });
        const due = await probe({ now: T0, rawPayloadCutoff: at(-RETENTION_MS) });
        expect(due).toEqual({
          ...Object.fromEntries(MIKA_DUE_WORK_KINDS.map((kind) => [kind, true])),
          acpSessions: acpSession,
        });
      }
      const { runner, sender } = createTestRunner(repositories);
      const before = await runner.runOnce({ now: at(-1) });
      expect(completed(before.emailOutbox).scanned).toBe(0);
      expect(completed(before.stuckEmails).reclaimed).toBe(0);
      expect(completed(before.rawProviderPayloads).purged).toBe(0);
      expect(completed(before.stockReservations).reservationsReleased).toBe(0);
      expect(completed(before.ephemeralRecords).purged).toBe(0);
      expect(completed(before.stuckWorkflows).reclaimed).toBe(0);
      // The erasure has no due time: it ran at once.
      expect(completed(before.accountDeleteRequests).completed).toBe(1);

      const run = await runner.runOnce({ now: T0 });
      expect(completed(run.emailOutbox)).toMatchObject({ scanned: 1, sent: 1 });
      expect(sender.sent).toHaveLength(1);
      expect(completed(run.stuckEmails).reclaimed).toBe(1);
      expect(completed(run.rawProviderPayloads).purged).toBe(1);
      expect(completed(run.acpSessions).expired).toBe(acpSession ? 1 : 0);
      expect(completed(run.stockReservations).reservationsReleased).toBe(1);
      expect(completed(run.ephemeralRecords).purged).toBe(1);
      expect(completed(run.stuckWorkflows).reclaimed).toBe(1);
    },

    "a lane's single task asks the probe too, and still moves its work": async ({
      repositories,
    }) => {
      await seedWorkDueAtT0(repositories);
      const { runner } = createTestRunner(repositories);
      const early = await runner.runTask("stockReservations", { now: at(-1) });
      expect(completed(early).reservationsReleased).toBe(0);
      const due = await runner.runTask("stockReservations", { now: T0 });
      expect(completed(due).reservationsReleased).toBe(1);
      const again = await runner.runTask("stockReservations", { now: T0 });
      expect(completed(again)).toEqual({
        reservationsScanned: 0,
        reservationsReleased: 0,
        stockItems: 0,
        hasMore: false,
      });
    },
  },
);
