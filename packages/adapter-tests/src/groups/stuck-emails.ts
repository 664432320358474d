import { createMikaMaintenanceRunner, STUCK_EMAIL_ERROR } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, MINUTE, T0 } from "../support/clock.ts";
import { completed } from "../support/runners.ts";
import { enqueueTestEmail, leaseTestEmail } from "../support/seed-emails.ts";
import { seedExhaustedEmail } from "../support/seed-exhausted.ts";

/** Exhausted email leases reclaimed by the port and by the `stuckEmails` task. */
export const stuckEmailsGroup = defineConformanceGroup(
  "stuckEmails",
  "emails whose last allowed lease expired without a result are marked failed",
  {
    "the stuckEmails task fails an exhausted email exactly at its lease expiry": async ({
      repositories,
    }) => {
      const exhausted = await seedExhaustedEmail(repositories.ops, 0);
      const stillLeased = await seedExhaustedEmail(repositories.ops, 1);
      const runner = createMikaMaintenanceRunner({ repositories: { ops: repositories.ops } });
      const result = completed((await runner.runOnce({ now: T0 })).stuckEmails);
      expect(result).toMatchObject({ scanned: 1, reclaimed: 1, hasMore: false });
      expect(await repositories.ops.getEmail(exhausted.id)).toMatchObject({
        status: "failed",
        lastError: STUCK_EMAIL_ERROR,
        attemptCount: 2,
        leaseKey: null,
        leaseExpiresAt: null,
        sentAt: null,
      });
      expect(await repositories.ops.getEmail(stillLeased.id)).toEqual(stillLeased);
      const later = completed((await runner.runOnce({ now: at(1) })).stuckEmails);
      expect(later.reclaimed).toBe(1);
      expect((await repositories.ops.getEmail(stillLeased.id))?.status).toBe("failed");
      expect(await repositories.ops.listDueEmails({ now: at(DAY), limit: 10 })).toEqual([]);
    },

    "an expired lease with attempts left is not stuck: it is simply due again": async ({
      repositories: { ops },
    }) => {
      const email = await enqueueTestEmail(ops, { maxAttempts: 3 });
      const { email: leased } = await leaseTestEmail(ops, email.id, at(-2 * MINUTE), MINUTE);
      const result = await ops.reclaimExhaustedEmails({
        now: T0,
        limit: 10,
        error: STUCK_EMAIL_ERROR,
      });
      expect(result).toEqual({ scanned: 0, reclaimed: 0, hasMore: false });
      expect(await ops.getEmail(email.id)).toEqual(leased);
      expect((await ops.listDueEmails({ now: T0, limit: 10 })).map((e) => e.id)).toEqual([
        email.id,
      ]);
    },

    "emails that carry a lastError, and sent or skipped emails, are left alone": async ({
      repositories: { ops },
    }) => {
      const terminal = await enqueueTestEmail(ops, { maxAttempts: 1 });
      const lease = await leaseTestEmail(ops, terminal.id, at(-10 * MINUTE), MINUTE);
      const failed = await ops.failEmail({
        emailId: terminal.id,
        leaseKey: lease.leaseKey,
        now: at(-9 * MINUTE),
        error: "550 5.1.1 recipient rejected",
        nextAttemptAt: null,
      });
      const sent = await enqueueTestEmail(ops, { maxAttempts: 1 });
      const sentLease = await leaseTestEmail(ops, sent.id, at(-10 * MINUTE), MINUTE);
      const sentRow = await ops.completeEmail({
        emailId: sent.id,
        leaseKey: sentLease.leaseKey,
        now: at(-9 * MINUTE),
      });
      const skipped = await enqueueTestEmail(ops, { maxAttempts: 1 });
      const skipLease = await leaseTestEmail(ops, skipped.id, at(-10 * MINUTE), MINUTE);
      const skippedRow = await ops.skipEmail({
        emailId: skipped.id,
        leaseKey: skipLease.leaseKey,
        now: at(-9 * MINUTE),
        reason: "unsubscribed",
      });
      const result = await ops.reclaimExhaustedEmails({
        now: T0,
        limit: 10,
        error: STUCK_EMAIL_ERROR,
      });
      expect(result.reclaimed).toBe(0);
      expect(await ops.getEmail(terminal.id)).toEqual(failed);
      expect(await ops.getEmail(sent.id)).toEqual(sentRow);
      expect(await ops.getEmail(skipped.id)).toEqual(skippedRow);
    },

    "reclaimExhaustedEmails is bounded by its limit and reports hasMore": async ({
      repositories: { ops },
    }) => {
      for (let index = 0; index < 3; index += 1) await seedExhaustedEmail(ops, 0);
      const input = { now: T0, limit: 2, error: STUCK_EMAIL_ERROR };
      expect(await ops.reclaimExhaustedEmails(input)).toEqual({
        scanned: 2,
        reclaimed: 2,
        hasMore: true,
      });
      expect(await ops.reclaimExhaustedEmails(input)).toEqual({
        scanned: 1,
        reclaimed: 1,
        hasMore: false,
      });
      expect(await ops.reclaimExhaustedEmails(input)).toEqual({
        scanned: 0,
        reclaimed: 0,
        hasMore: false,
      });
    },
  },
);
