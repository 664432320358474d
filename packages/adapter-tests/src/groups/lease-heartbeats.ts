import { STUCK_EMAIL_ERROR, STUCK_WORKFLOW_ERROR } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { enqueueTestEmail, leaseTestEmail } from "../support/seed-emails.ts";
import { leaseTestWorkflow } from "../support/seed-exhausted.ts";

/** Heartbeats: a holder moves its lease's end; a stale key never can. */
export const leaseHeartbeatsGroup = defineConformanceGroup(
  "leaseHeartbeats",
  "an extended workflow or email lease is not reclaimed, and a stale key cannot extend",
  {
    "an extended workflow lease is neither reclaimed nor taken over at its old end": async ({
      repositories: { ops },
    }) => {
      const workflow = await ops.enqueueWorkflow({ name: "long.job", maxAttempts: 1, now: T0 });
      const { leaseKey } = await leaseTestWorkflow(ops, workflow.id, T0, MINUTE);
      const extended = await ops.extendWorkflowLease({
        workflowId: workflow.id,
        leaseKey,
        now: at(MINUTE / 2),
        leaseExpiresAt: at(3 * MINUTE),
      });
      expect(extended).toMatchObject({
        status: "running",
        leaseKey,
        leaseExpiresAt: at(3 * MINUTE),
        attemptCount: 1,
        updatedAt: at(MINUTE / 2),
      });
      const reclaim = await ops.reclaimExhaustedWorkflows({
        now: at(2 * MINUTE),
        limit: 10,
        error: STUCK_WORKFLOW_ERROR,
      });
      expect(reclaim.reclaimed).toBe(0);
      const rival = await ops.tryLeaseWorkflow({
        workflowId: workflow.id,
        leaseKey: uniqueId("rival"),
        now: at(2 * MINUTE),
        leaseExpiresAt: at(4 * MINUTE),
      });
      expect(rival).toBeNull();
      expect(await ops.getWorkflow(workflow.id)).toMatchObject({ status: "running", leaseKey });
    },

    "a stale workflow key cannot extend: not after a takeover, nor once the lease ran out": async ({
      repositories: { ops },
    }) => {
      const workflow = await ops.enqueueWorkflow({ name: "long.job", now: T0 });
      const first = await leaseTestWorkflow(ops, workflow.id, T0, MINUTE);
      expect(
        await ops.extendWorkflowLease({
          workflowId: workflow.id,
          leaseKey: first.leaseKey,
          now: at(MINUTE),
          leaseExpiresAt: at(5 * MINUTE),
        }),
      ).toBeNull();
      const second = await leaseTestWorkflow(ops, workflow.id, at(2 * MINUTE), MINUTE);
      const stale = await ops.extendWorkflowLease({
        workflowId: workflow.id,
        leaseKey: first.leaseKey,
        now: at(2 * MINUTE),
        leaseExpiresAt: at(10 * MINUTE),
      });
      expect(stale).toBeNull();
      expect(await ops.getWorkflow(workflow.id)).toEqual(second.workflow);
      expect(
        await ops.extendWorkflowLease({
          workflowId: uniqueId("missing"),
          leaseKey: second.leaseKey,
          now: at(2 * MINUTE),
          leaseExpiresAt: at(10 * MINUTE),
        }),
      ).toBeNull();
    },

    "an extended email lease is not reclaimed at its old end; a stale key cannot extend": async ({
      repositories: { ops },
    }) => {
      const email = await enqueueTestEmail(ops, { maxAttempts: 1, now: T0 });
      const { leaseKey } = await leaseTestEmail(ops, email.id, T0, MINUTE);
      const extended = await ops.extendEmailLease({
        emailId: email.id,
        leaseKey,
        now: at(MINUTE / 2),
        leaseExpiresAt: at(3 * MINUTE),
      });
      expect(extended).toMatchObject({ leaseKey, leaseExpiresAt: at(3 * MINUTE) });
      const reclaim = await ops.reclaimExhaustedEmails({
        now: at(2 * MINUTE),
        limit: 10,
        error: STUCK_EMAIL_ERROR,
      });
      expect(reclaim.reclaimed).toBe(0);
      expect(
        await ops.extendEmailLease({
          emailId: email.id,
          leaseKey: uniqueId("stale"),
          now: at(2 * MINUTE),
          leaseExpiresAt: at(9 * MINUTE),
        }),
      ).toBeNull();
      expect(
        await ops.extendEmailLease({
          emailId: email.id,
          leaseKey,
          now: at(3 * MINUTE),
          leaseExpiresAt: at(9 * MINUTE),
        }),
      ).toBeNull();
      expect(await ops.getEmail(email.id)).toMatchObject({ leaseExpiresAt: at(3 * MINUTE) });
    },
  },
);
