import {
  MIKA_WEBHOOK_RETRY_WORKFLOW,
  type MikaMaintenanceLimitName,
  type MikaMaintenanceRunResult,
  type MikaMaintenanceTaskKey,
  type MikaRepositories,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { createTestRunner } from "../support/runners.ts";
import { enqueueTestEmail } from "../support/seed-emails.ts";
import { seedExhaustedEmail, seedExhaustedWorkflow } from "../support/seed-exhausted.ts";
import { seedReservation, seedStockItem } from "../support/seed-stock.ts";
import { fullAcpStore } from "./acp-sessions.ts";

interface BoundedTask {
  key: MikaMaintenanceTaskKey;
  limit: MikaMaintenanceLimitName;
  /** Seeds one item the task will move at T0. */
  seedOne(repositories: MikaRepositories): Promise<unknown>;
  /** How many items the task moved, from its completed result. */
  moved(result: Record<string, unknown>): number;
  /** Whether a limit of 0 is answered by the adapter (and so must still report hasMore). */
  adapterBacked: boolean;
}

/**
 * One case per maintenance task, keyed by task so the compiler refuses a task without one: a new
 * task must say how to seed one item and read how many it moved.
 */
const BOUNDED_TASK_CASES: Record<MikaMaintenanceTaskKey, Omit<BoundedTask, "key">> = {
  emailOutbox: {
    limit: "emailLimit",
    seedOne: (r) => enqueueTestEmail(r.ops, { now: at(-MINUTE) }),
    moved: (result) => result.sent as number,
    adapterBacked: false,
  },
  stuckEmails: {
    limit: "stuckEmailLimit",
    seedOne: (r) => seedExhaustedEmail(r.ops, 0),
    moved: (result) => result.reclaimed as number,
    adapterBacked: true,
  },
  rawProviderPayloads: {
    limit: "rawProviderPayloadLimit",
    seedOne: (r) =>
      r.ops.recordWebhookEvent({
        provider: "stripe",
        eventType: "charge.succeeded",
        externalId: uniqueId("ext"),
        rawPayload: "{}",
        normalizedPayload: { kind: "charge" },
        receivedAt: at(-30 * DAY),
      }),
    moved: (result) => result.purged as number,
    adapterBacked: true,
  },
  acpSessions: {
    limit: "acpSessionLimit",
    seedOne: (r) => fullAcpStore(r.acpSessions).createSession({ now: at(-HOUR) }),
    moved: (result) => result.expired as number,
    adapterBacked: true,
  },
  stockReservations: {
    limit: "stockReservationLimit",
    seedOne: async (r) => {
      const item = await seedStockItem(r.stock, 10);
      return seedReservation(r.stock, { stockItemId: item.id, quantity: 1, expiresAt: at(-1) });
    },
    moved: (result) => result.reservationsReleased as number,
    adapterBacked: true,
  },
  ephemeralRecords: {
    limit: "ephemeralRecordLimit",
    seedOne: (r) =>
      r.ephemeral.putEphemeralRecord({
        kind: "rate_limit",
        key: uniqueId("rl"),
        expiresAt: at(-1),
        now: at(-HOUR),
      }),
    moved: (result) => result.purged as number,
    adapterBacked: true,
  },
  accountDeleteRequests: {
    limit: "accountDeleteLimit",
    seedOne: (r) => r.ops.queueAccountDeleteRequest({ userId: uniqueId("usr"), now: at(-HOUR) }),
    moved: (result) => result.completed as number,
    adapterBacked: false,
  },
  stuckWorkflows: {
    limit: "stuckWorkflowLimit",
    seedOne: (r) => seedExhaustedWorkflow(r.ops, 0),
    moved: (result) => result.reclaimed as number,
    adapterBacked: true,
  },
  webhookRetries: {
    limit: "webhookRetryLimit",
    seedOne: (r) =>
      r.ops.enqueueWorkflow({
        name: MIKA_WEBHOOK_RETRY_WORKFLOW,
        subjectId: uniqueId("wh"),
        nextAttemptAt: at(-MINUTE),
        now: at(-HOUR),
      }),
    moved: (result) => result.retried as number,
    adapterBacked: true,
  },
};

const BOUNDED_TASKS: BoundedTask[] = Object.entries(BOUNDED_TASK_CASES).map(([key, task]) => ({
  key: key as MikaMaintenanceTaskKey,
  ...task,
}));

function outcomeOf(run: MikaMaintenanceRunResult, task: BoundedTask) {
  const outcome = run[task.key];
  if (outcome.status !== "completed") {
    throw new Error(`${task.key} did not complete: ${JSON.stringify(outcome)}`);
  }
  const result = outcome.result as unknown as Record<string, unknown>;
  return { moved: task.moved(result), hasMore: result.hasMore };
}

async function drainsInBoundedBatches({ repositories }: MikaConformanceContext, task: BoundedTask) {
  const { runner } = createTestRunner(repositories);
  const runWith = async (limit: number) =>
    outcomeOf(await runner.runOnce({ now: T0, [task.limit]: limit }), task);
  for (let index = 0; index < 5; index += 1) await task.seedOne(repositories);
  expect(await runWith(2), "first batch of 5 with limit 2").toEqual({ moved: 2, hasMore: true });
  expect(await runWith(2), "second batch").toEqual({ moved: 2, hasMore: true });
  expect(await runWith(2), "last, short batch").toEqual({ moved: 1, hasMore: false });
  for (let index = 0; index < 3; index += 1) await task.seedOne(repositories);
  expect(await runWith(3), "exactly the limit").toEqual({ moved: 3, hasMore: false });
  expect(await runWith(3), "nothing left").toEqual({ moved: 0, hasMore: false });
}

async function limitZeroProbes({ repositories }: MikaConformanceContext, task: BoundedTask) {
  await task.seedOne(repositories);
  const { runner } = createTestRunner(repositories);
  const probe = outcomeOf(await runner.runOnce({ now: T0, [task.limit]: 0 }), task);
  expect(probe).toEqual({ moved: 0, hasMore: true });
  const run = outcomeOf(await runner.runOnce({ now: T0, [task.limit]: 1 }), task);
  expect(run).toEqual({ moved: 1, hasMore: false });
}

/** Every bounded task moves at most its limit per run and reports whether more is left. */
export const boundedBatchesGroup = defineConformanceGroup(
  "boundedBatches",
  "every maintenance task is bounded by its limit and reports hasMore exactly",
  Object.fromEntries([
    ...BOUNDED_TASKS.map((task) => [
      `${task.key} moves at most ${task.limit} per run and reports hasMore exactly`,
      (context: MikaConformanceContext) => drainsInBoundedBatches(context, task),
    ]),
    ...BOUNDED_TASKS.filter((task) => task.adapterBacked).map((task) => [
      `${task.key} with ${task.limit} 0 changes nothing and still reports hasMore`,
      (context: MikaConformanceContext) => limitZeroProbes(context, task),
    ]),
  ]),
);
