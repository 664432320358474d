import {
  createMikaMaintenanceRunner,
  MIKA_WEBHOOK_RETRY_WORKFLOW,
  type MikaRepositories,
  type MikaWebhookReplayInput,
  type MikaWebhookReplayResult,
  WEBHOOK_RETRIES_EXHAUSTED_ERROR,
  webhookReplayIdempotencyKey,
  webhookRetryBackoffMs,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, SECOND, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { leaseTestWorkflow } from "../support/seed-exhausted.ts";

type Answer = MikaWebhookReplayResult | Error;

/** A replay driver that records every call and answers from `answers` (then `ok: true`). */
function recordingDriver(answers: Answer[] = []) {
  const calls: MikaWebhookReplayInput[] = [];
  return {
    calls,
    async webhookReplay(input: MikaWebhookReplayInput): Promise<MikaWebhookReplayResult> {
      calls.push(input);
      const answer = answers.shift() ?? { ok: true };
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

function retryRunner(repositories: MikaRepositories, driver: ReturnType<typeof recordingDriver>) {
  return createTestRunner(repositories, {
    input: { api: { admin: { webhookReplay: driver.webhookReplay } } },
  }).runner;
}

async function runRetries(
  repositories: MikaRepositories,
  driver: ReturnType<typeof recordingDriver>,
  now: string,
) {
  return completed(await retryRunner(repositories, driver).runTask("webhookRetries", { now }));
}

/** A fulfilment workflow due for a retry at `dueAt`, replaying `subjectId`. */
function enqueueDue(
  repositories: MikaRepositories,
  options: {
    dueAt?: string | null;
    subjectId?: string | null;
    name?: string;
    maxAttempts?: number;
  },
) {
  return repositories.ops.enqueueWorkflow({
    id: uniqueId("wf"),
    name: options.name ?? MIKA_WEBHOOK_RETRY_WORKFLOW,
    subjectId: options.subjectId === undefined ? uniqueId("wh") : options.subjectId,
    nextAttemptAt: options.dueAt === undefined ? at(-MINUTE) : options.dueAt,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    now: at(-10 * MINUTE),
  });
}

/** webhookRetries: due fulfilment workflows replayed through the host's driver, with backoff. */
export const webhookRetriesGroup = defineConformanceGroup(
  "webhookRetries",
  "due payment-fulfilment workflows are replayed once per attempt, with backoff, until exhausted",
  {
    "replays a due workflow once with its attempt's key; not-due, unscheduled and other kinds wait":
      async ({ repositories }) => {
        const due = await enqueueDue(repositories, {});
        await enqueueDue(repositories, { dueAt: at(MINUTE) });
        await enqueueDue(repositories, { dueAt: null });
        await enqueueDue(repositories, { name: "order.fulfil" });
        const live = await enqueueDue(repositories, {});
        await leaseTestWorkflow(repositories.ops, live.id, at(-2 * MINUTE), 10 * MINUTE);
        const driver = recordingDriver();

        const result = await runRetries(repositories, driver, T0);
        expect(result).toEqual({
          scanned: 1,
          retried: 1,
          failed: 0,
          skippedExhausted: 0,
          missingSubject: 0,
          hasMore: false,
          items: [{ workflowId: due.id, webhookId: due.subjectId, attempt: 1, status: "retried" }],
        });
        expect(driver.calls).toEqual([
          {
            webhookId: due.subjectId,
            idempotencyKey: webhookReplayIdempotencyKey(due.id, 1),
          },
        ]);
        expect(await repositories.ops.getWorkflow(due.id)).toMatchObject({
          status: "queued",
          attemptCount: 1,
          nextAttemptAt: at(webhookRetryBackoffMs(1)),
          updatedAt: T0,
        });
        // Claimed with its backoff: not due again at the same instant.
        expect((await runRetries(repositories, driver, T0)).scanned).toBe(0);
        expect(driver.calls).toHaveLength(1);
      },

    "a replay answering ok: false or throwing fails that item, backs off, and is retried later":
      async ({ repositories }) => {
        const workflow = await enqueueDue(repositories, {});
        const driver = recordingDriver([
          { ok: false, error: { message: "provider said no" } },
          new Error("host down"),
        ]);

        const first = await runRetries(repositories, driver, T0);
        expect(first).toMatchObject({ scanned: 1, retried: 0, failed: 1 });
        expect(first.items).toEqual([
          {
            workflowId: workflow.id,
            webhookId: workflow.subjectId,
            attempt: 1,
            status: "failed",
            error: "provider said no",
            nextAttemptAt: at(webhookRetryBackoffMs(1)),
          },
        ]);
        // Not before its backoff ends.
        const early = at(webhookRetryBackoffMs(1) - SECOND);
        expect((await runRetries(repositories, driver, early)).scanned).toBe(0);

        const retryAt = at(webhookRetryBackoffMs(1));
        const second = await runRetries(repositories, driver, retryAt);
        expect(second).toMatchObject({ scanned: 1, failed: 1 });
        expect(second.items[0]).toMatchObject({ attempt: 2, error: "host down" });
        expect(await repositories.ops.getWorkflow(workflow.id)).toMatchObject({
          attemptCount: 2,
          nextAttemptAt: at(webhookRetryBackoffMs(2), retryAt),
        });

        const thirdAt = at(webhookRetryBackoffMs(2), retryAt);
        const third = await runRetries(repositories, driver, thirdAt);
        expect(third).toMatchObject({ scanned: 1, retried: 1, failed: 0 });
        expect(driver.calls.map((call) => call.idempotencyKey)).toEqual([
          webhookReplayIdempotencyKey(workflow.id, 1),
          webhookReplayIdempotencyKey(workflow.id, 2),
          webhookReplayIdempotencyKey(workflow.id, 3),
        ]);
      },

    "the idempotency key is the workflow and attempt: a host's own lease moves it on": async ({
      repositories,
    }) => {
      const workflow = await enqueueDue(repositories, {});
      // The host leased it once and its worker died: the retry is the second attempt.
      await leaseTestWorkflow(repositories.ops, workflow.id, at(-3 * MINUTE), MINUTE);
      const driver = recordingDriver();
      const result = await runRetries(repositories, driver, T0);
      expect(result.items).toEqual([
        { workflowId: workflow.id, webhookId: workflow.subjectId, attempt: 2, status: "retried" },
      ]);
      expect(driver.calls[0]?.idempotencyKey).toBe(webhookReplayIdempotencyKey(workflow.id, 2));
      expect(webhookReplayIdempotencyKey(workflow.id, 2)).toBe(
        webhookReplayIdempotencyKey(workflow.id, 2),
      );
      expect(webhookReplayIdempotencyKey(workflow.id, 2)).not.toBe(
        webhookReplayIdempotencyKey(workflow.id, 3),
      );
    },

    "an exhausted workflow is not replayed: counted, marked failed, and not scanned again": async ({
      repositories,
    }) => {
      const workflow = await enqueueDue(repositories, { maxAttempts: 1 });
      await leaseTestWorkflow(repositories.ops, workflow.id, at(-3 * MINUTE), MINUTE);
      const driver = recordingDriver();
      const result = await runRetries(repositories, driver, T0);
      expect(result).toMatchObject({
        scanned: 1,
        retried: 0,
        skippedExhausted: 1,
        items: [{ workflowId: workflow.id, status: "exhausted" }],
      });
      expect(driver.calls).toEqual([]);
      expect(await repositories.ops.getWorkflow(workflow.id)).toMatchObject({
        status: "failed",
        lastError: WEBHOOK_RETRIES_EXHAUSTED_ERROR,
        finishedAt: T0,
        nextAttemptAt: null,
        leaseKey: null,
      });
      expect((await runRetries(repositories, driver, at(MINUTE))).scanned).toBe(0);
    },

    "a workflow without a subject is counted and reported, its attempt used, nothing sent": async ({
      repositories,
    }) => {
      const workflow = await enqueueDue(repositories, { subjectId: null });
      const driver = recordingDriver();
      const result = await runRetries(repositories, driver, T0);
      expect(result).toMatchObject({
        scanned: 1,
        retried: 0,
        missingSubject: 1,
        items: [{ workflowId: workflow.id, status: "missingSubject", attempt: 1 }],
      });
      expect(driver.calls).toEqual([]);
      expect(await repositories.ops.getWorkflow(workflow.id)).toMatchObject({
        attemptCount: 1,
        nextAttemptAt: at(webhookRetryBackoffMs(1)),
      });
    },

    "four runners on their own connections replay each due workflow exactly once": {
      timeoutMs: 60_000,
      run: async ({ repositories, connections }) => {
        const seeded = [];
        for (let index = 0; index < 12; index += 1) seeded.push(await enqueueDue(repositories, {}));
        const driver = recordingDriver();
        const stores = await connections(4);
        const results = await Promise.all(
          stores.map(async (store) => runRetries(store, driver, T0)),
        );
        const replayed = driver.calls.map((call) => call.webhookId).sort();
        expect(replayed).toEqual(seeded.map((workflow) => workflow.subjectId).sort());
        expect(results.reduce((sum, result) => sum + result.retried, 0)).toBe(seeded.length);
      },
    },

    "skips with a reason naming the replay driver when the host gives none": async ({
      repositories,
    }) => {
      const runner = createMikaMaintenanceRunner({ repositories });
      const outcome = await runner.runTask("webhookRetries", { now: T0 });
      expect(outcome).toMatchObject({ status: "skipped" });
      expect(outcome.status === "skipped" && outcome.reason).toMatch(/api\.admin\.webhookReplay/);
    },
  },
);
