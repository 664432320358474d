import { errorMessage } from "../errors.ts";
import type { MikaWorkflowRecord } from "../ports/workflows.ts";
import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";
import { addMilliseconds, type ISODateTime } from "../time.ts";

/** The workflow kind `webhookRetries` re-drives: fulfilment of a paid order's webhook. */
export const MIKA_WEBHOOK_RETRY_WORKFLOW = "payment_webhook_fulfillment";

/** The `lastError` written on a fulfilment workflow that used its last retry. */
export const WEBHOOK_RETRIES_EXHAUSTED_ERROR =
  "Webhook fulfilment used all its attempts without completing; marked failed by maintenance. It can be replayed by hand.";

/** What the host's replay driver answers; `ok: false` (or a throw) fails this attempt. */
export type MikaWebhookReplayResult = { ok: true } | { ok: false; error?: { message?: string } };

/**
 * What the runner hands the host's replay driver for one workflow: exactly the input of
 * EmDash Mika's `api.admin.webhookReplay`, so that function plugs in as the driver.
 */
export interface MikaWebhookReplayInput {
  /** The stored webhook event to replay (the workflow's `subjectId`). */
  webhookId: string;
  /**
   * `mika-webhook-retry:<workflowId>:<attempt>`: stable per workflow and attempt, so a replay
   * sent twice for one attempt is applied once by the host.
   */
  idempotencyKey: string;
}

/** One workflow a `webhookRetries` pass looked at. */
export type MikaWebhookRetryItem =
  | { workflowId: string; webhookId: string; attempt: number; status: "retried" }
  | {
      workflowId: string;
      webhookId: string;
      attempt: number;
      status: "failed";
      error: string;
      nextAttemptAt: ISODateTime;
    }
  | { workflowId: string; status: "missingSubject"; attempt: number }
  | { workflowId: string; status: "exhausted" };

/** Counts and items of one `webhookRetries` pass. */
export interface MikaWebhookRetriesResult {
  /** Due workflows listed. */
  scanned: number;
  /** Replays the host accepted. */
  retried: number;
  /** Replays that answered `ok: false` or threw; each is retried after its backoff. */
  failed: number;
  /** Due workflows with no attempts left, marked failed instead of replayed. */
  skippedExhausted: number;
  /** Due workflows with no `subjectId` to replay: an attempt is counted, nothing is sent. */
  missingSubject: number;
  hasMore: boolean;
  items: MikaWebhookRetryItem[];
}

const BASE_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;

/** One minute before the second attempt, doubling per attempt, capped at an hour. */
export function webhookRetryBackoffMs(attempt: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}

/** The idempotency key of one replay attempt. */
export function webhookReplayIdempotencyKey(workflowId: string, attempt: number): string {
  return `mika-webhook-retry:${workflowId}:${attempt}`;
}

/** Re-drives due payment-webhook fulfilment workflows through the host's replay driver. */
export const webhookRetriesTask = defineMaintenanceTask({
  key: "webhookRetries",
  description: "Replays the webhooks of due payment-fulfilment workflows, with backoff.",
  // A paid order waits on it, so it is user-visible; claims make it safe on any replica, but
  // the leader alone avoids replicas racing to list the same rows.
  lane: { kind: "user-visible", intervalMs: 15_000, timeoutMs: 60_000 },
  limits: {
    webhookRetryLimit: { default: 50, description: "Due webhook-fulfilment workflows per run." },
  },
  plan(input) {
    const ops = input.repositories?.ops;
    if (!ops) return missingDependency("webhookRetries", "repositories.ops");
    const replay = input.api?.admin?.webhookReplay;
    if (!replay) {
      return missingDependency("webhookRetries", "a replay driver (api.admin.webhookReplay)");
    }
    // Narrowed copies: the nested helper below runs after the checks above.
    const store = ops;
    const driver = replay;
    return {
      async run({ now, limits, signal }) {
        const due = await store.listDueWorkflowRetries({
          name: MIKA_WEBHOOK_RETRY_WORKFLOW,
          now,
          limit: limits.webhookRetryLimit,
        });
        const result: MikaWebhookRetriesResult = {
          scanned: due.items.length,
          retried: 0,
          failed: 0,
          skippedExhausted: 0,
          missingSubject: 0,
          hasMore: due.hasMore,
          items: [],
        };
        for (const seen of due.items) {
          if (signal?.aborted) {
            result.hasMore = true;
            break;
          }
          await retryOne(seen);
        }
        return result;

        async function retryOne(seen: MikaWorkflowRecord): Promise<void> {
          const workflowId = seen.id;
          if (seen.attemptCount >= seen.maxAttempts) {
            const settled = await store.failExhaustedWorkflowRetry({
              workflowId,
              attemptCount: seen.attemptCount,
              now,
              error: WEBHOOK_RETRIES_EXHAUSTED_ERROR,
            });
            if (settled) {
              result.skippedExhausted += 1;
              result.items.push({ workflowId, status: "exhausted" });
            }
            return;
          }
          const attempt = seen.attemptCount + 1;
          const nextAttemptAt = addMilliseconds(now, webhookRetryBackoffMs(attempt));
          // The claim counts the attempt and sets the backoff before the replay is sent: a
          // runner that dies mid-replay leaves the workflow due again after the backoff, and
          // concurrent runners replay it once.
          const claimed = await store.claimWorkflowRetry({
            workflowId,
            attemptCount: seen.attemptCount,
            now,
            nextAttemptAt,
          });
          if (!claimed) return;
          const webhookId = claimed.subjectId;
          if (!webhookId) {
            result.missingSubject += 1;
            result.items.push({ workflowId, status: "missingSubject", attempt });
            return;
          }
          let error: string | null = null;
          try {
            const answer = await driver({
              webhookId,
              idempotencyKey: webhookReplayIdempotencyKey(workflowId, attempt),
            });
            if (answer?.ok !== true) {
              error =
                (answer && answer.ok === false && answer.error?.message) ||
                "The replay driver answered without ok: true.";
            }
          } catch (thrown) {
            error = errorMessage(thrown);
          }
          if (error === null) {
            result.retried += 1;
            result.items.push({ workflowId, webhookId, attempt, status: "retried" });
          } else {
            result.failed += 1;
            result.items.push({
              workflowId,
              webhookId,
              attempt,
              status: "failed",
              error,
              nextAttemptAt,
            });
          }
        }
      },
    };
  },
});
