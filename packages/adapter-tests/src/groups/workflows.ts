import {
  createMikaMaintenanceRunner,
  MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
  STUCK_WORKFLOW_ERROR,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, T0 } from "../support/clock.ts";
import { type HeldLeaseSettle, heldLeaseSettleCases } from "../support/held-lease-settles.ts";
import { uniqueId } from "../support/ids.ts";
import { completed } from "../support/runners.ts";
import { leaseTestWorkflow, seedExhaustedWorkflow } from "../support/seed-exhausted.ts";

/** A workflow's holder completes it, only under its lease. */
const WORKFLOW_COMPLETION: HeldLeaseSettle = {
  method: "completeWorkflow",
  seed: (ops) => ops.enqueueWorkflow({ name: "sync", now: T0 }),
  lease: (ops, id, now, leaseMs) => leaseTestWorkflow(ops, id, now, leaseMs),
  read: (ops, id) => ops.getWorkflow(id),
  settle: (ops, workflowId, leaseKey, now) =>
    ops.completeWorkflow({ workflowId, leaseKey, now, output: { shipped: true } }),
  settled: (now) => ({ status: "completed", output: { shipped: true }, finishedAt: now }),
};

/** Workflows: host enqueue/lease/complete and the maintenance reclaim of exhausted ones. */
export const workflowsGroup = defineConformanceGroup(
  "workflows",
  "workflow leases are compare-and-set and exhausted workflows are reclaimed as failed",
  {
    "enqueueWorkflow stores a queued workflow with defaults": async ({ repositories: { ops } }) => {
      const id = uniqueId("wf");
      const workflow = await ops.enqueueWorkflow({
        id,
        name: "order.fulfil",
        input: { orderId: "o-1", lines: [1, 2] },
        now: T0,
      });
      const expected = {
        id,
        name: "order.fulfil",
        status: "queued",
        input: { orderId: "o-1", lines: [1, 2] },
        output: null,
        customerId: null,
        userId: null,
        emailHash: null,
        redactedAt: null,
        subjectId: null,
        nextAttemptAt: null,
        attemptCount: 0,
        maxAttempts: MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
        leaseKey: null,
        leasedAt: null,
        leaseExpiresAt: null,
        lastError: null,
        createdAt: T0,
        updatedAt: T0,
        finishedAt: null,
      };
      expect(workflow).toEqual(expected);
      expect(await ops.getWorkflow(id)).toEqual(expected);
      expect(await ops.getWorkflow(uniqueId("missing"))).toBeNull();
    },

    "tryLeaseWorkflow runs a queued workflow; a live lease makes rivals get null": async ({
      repositories: { ops },
    }) => {
      const workflow = await ops.enqueueWorkflow({ name: "sync", now: T0 });
      const { leaseKey, workflow: running } = await leaseTestWorkflow(ops, workflow.id, T0, MINUTE);
      expect(running).toMatchObject({
        status: "running",
        attemptCount: 1,
        leaseKey,
        leasedAt: T0,
        leaseExpiresAt: at(MINUTE),
      });
      const rival = await ops.tryLeaseWorkflow({
        workflowId: workflow.id,
        leaseKey: uniqueId("wlease"),
        now: at(MINUTE - 1),
        leaseExpiresAt: at(2 * MINUTE),
      });
      expect(rival).toBeNull();
      expect(await ops.getWorkflow(workflow.id)).toEqual(running);
      const takeover = await leaseTestWorkflow(ops, workflow.id, at(MINUTE), MINUTE);
      expect(takeover.workflow).toMatchObject({ status: "running", attemptCount: 2 });
    },

    "tryLeaseWorkflow refuses exhausted, finished and unknown workflows": async ({
      repositories: { ops },
    }) => {
      const exhausted = await seedExhaustedWorkflow(ops, 0);
      const done = await ops.enqueueWorkflow({ name: "sync", now: T0 });
      const lease = await leaseTestWorkflow(ops, done.id, T0, MINUTE);
      const finished = await ops.completeWorkflow({
        workflowId: done.id,
        leaseKey: lease.leaseKey,
        now: T0,
      });
      for (const workflowId of [exhausted.id, done.id, uniqueId("missing")]) {
        const result = await ops.tryLeaseWorkflow({
          workflowId,
          leaseKey: uniqueId("wlease"),
          now: at(10 * MINUTE),
          leaseExpiresAt: at(11 * MINUTE),
        });
        expect(result, `lease of ${workflowId}`).toBeNull();
      }
      expect(await ops.getWorkflow(exhausted.id)).toEqual(exhausted);
      expect(await ops.getWorkflow(done.id)).toEqual(finished);
    },

    ...heldLeaseSettleCases([WORKFLOW_COMPLETION]),

    "the stuckWorkflows task fails exhausted workflows exactly at lease expiry, replayably":
      async ({ repositories }) => {
        const { ops } = repositories;
        const exhausted = await seedExhaustedWorkflow(ops, 0);
        const stillLeased = await seedExhaustedWorkflow(ops, 1);
        const retryable = await ops.enqueueWorkflow({ name: "sync", maxAttempts: 3, now: T0 });
        const retryLease = await leaseTestWorkflow(ops, retryable.id, at(-2 * MINUTE), MINUTE);
        const queued = await ops.enqueueWorkflow({ name: "sync", maxAttempts: 1, now: T0 });
        const runner = createMikaMaintenanceRunner({ repositories: { ops } });
        const result = completed((await runner.runOnce({ now: T0 })).stuckWorkflows);
        expect(result).toEqual({ scanned: 1, reclaimed: 1, hasMore: false });
        const reclaimed = await ops.getWorkflow(exhausted.id);
        expect(reclaimed).toMatchObject({
          status: "failed",
          lastError: STUCK_WORKFLOW_ERROR,
          finishedAt: T0,
          leaseKey: null,
          leasedAt: null,
          leaseExpiresAt: null,
        });
        expect(reclaimed?.lastError).toMatch(/replay/);
        expect(await ops.getWorkflow(stillLeased.id)).toEqual(stillLeased);
        expect(await ops.getWorkflow(retryable.id)).toEqual(retryLease.workflow);
        expect(await ops.getWorkflow(queued.id)).toEqual(queued);
      },

    "reclaimExhaustedWorkflows is bounded by its limit and reports hasMore": async ({
      repositories: { ops },
    }) => {
      for (let index = 0; index < 3; index += 1) await seedExhaustedWorkflow(ops, 0);
      const input = { now: T0, limit: 2, error: STUCK_WORKFLOW_ERROR };
      expect(await ops.reclaimExhaustedWorkflows(input)).toEqual({
        scanned: 2,
        reclaimed: 2,
        hasMore: true,
      });
      expect(await ops.reclaimExhaustedWorkflows(input)).toEqual({
        scanned: 1,
        reclaimed: 1,
        hasMore: false,
      });
    },
  },
);
