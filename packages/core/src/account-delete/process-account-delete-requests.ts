import { errorMessage } from "../errors.ts";
import {
  MIKA_ACCOUNT_DELETE_STEPS,
  type MikaAccountDeleteRequestRecord,
  type MikaAccountDeleteStepName,
} from "../ports/account-delete-requests.ts";
import type { MikaAccountDeleteStepCounts } from "../ports/store.ts";
import {
  isUnreadableRow,
  type MikaUnreadableRow,
  setAsideMessage,
} from "../ports/unreadable-row.ts";
import { MIKA_MAX_LIMIT } from "../runner/limit-bounds.ts";
import { resolveNow } from "../runner/resolve-now.ts";
import type { ISODateTime } from "../time.ts";
import {
  type MikaOptionKeyTable,
  rejectUnknownOptions,
  wholeNumberInRange,
} from "../validation/option-keys.ts";
import type { MikaAccountDeleteRepositories } from "./account-delete-repositories.ts";
import { ACCOUNT_DELETE_STEP_RUNS } from "./account-delete-steps.ts";
import { ErasureLostRace, oneTransactionStore } from "./erase-in-one-transaction.ts";
import { findAccountDeleteBlocker } from "./find-blocker.ts";
import type { MikaAccountDeleteItemResult, MikaAccountDeleteRunResult } from "./types.ts";

/** Options of `processAccountDeleteRequests`. */
export interface MikaProcessAccountDeleteOptions {
  now: ISODateTime;
  limit: number;
  signal?: AbortSignal | undefined;
}

const ACCOUNT_DELETE_OPTION_KEYS = {
  now: true,
  limit: true,
  signal: true,
} as const satisfies MikaOptionKeyTable<MikaProcessAccountDeleteOptions>;

/**
 * Processes queued erasure requests, oldest first. Each step's result is recorded on the
 * request before the next begins, so a run that stops anywhere resumes without repeating a
 * completed step. When one store serves every port and can open a transaction, a request is
 * erased and its steps recorded in one transaction instead: a run that stops anywhere leaves
 * nothing of it, and the next run starts it over (decision 0026).
 */
export async function processAccountDeleteRequests(
  repositories: MikaAccountDeleteRepositories,
  options: MikaProcessAccountDeleteOptions,
): Promise<MikaAccountDeleteRunResult> {
  rejectUnknownOptions("processAccountDeleteRequests", options, ACCOUNT_DELETE_OPTION_KEYS);
  const now = resolveNow(options.now, undefined);
  const limit = wholeNumberInRange("limit", options.limit, 0, MIKA_MAX_LIMIT);
  const queued = await repositories.ops.listQueuedAccountDeleteRequests({ limit: limit + 1 });
  const batch = queued.slice(0, limit);
  const result: MikaAccountDeleteRunResult = {
    scanned: batch.length,
    completed: 0,
    failed: 0,
    retrying: 0,
    hasMore: queued.length > limit,
    items: [],
  };
  for (const request of batch) {
    if (options.signal?.aborted) {
      result.hasMore = true;
      break;
    }
    const item = isUnreadableRow(request)
      ? await setAside(repositories, request, now)
      : await processRequest(repositories, request, now);
    result.items.push(item);
    if (item.status === "completed") result.completed += 1;
    else if (item.status === "failed") result.failed += 1;
    else if (item.status === "retrying") result.retrying += 1;
  }
  return result;
}

async function processRequest(
  repositories: MikaAccountDeleteRepositories,
  request: MikaAccountDeleteRequestRecord,
  now: ISODateTime,
): Promise<MikaAccountDeleteItemResult> {
  const item = emptyItem(request.id);
  readRecordedCounts(item, request);
  const ops = repositories.ops;
  const started = MIKA_ACCOUNT_DELETE_STEPS.some((step) => request.steps[step]);
  let current: ErasurePhase = "blockerCheck";
  const store = oneTransactionStore(repositories);

  try {
    if (!started) {
      const blocker = await findAccountDeleteBlocker(repositories, request);
      if (blocker) {
        const failed = await ops.failAccountDeleteRequest({
          requestId: request.id,
          now,
          error: blocker,
        });
        return { ...item, status: failed ? "failed" : "skipped", error: blocker };
      }
    }
    if (store) {
      const committed = await store.transaction(async (ports) => {
        const counts: MikaAccountDeleteStepCounts = {};
        const stepsRun: MikaAccountDeleteStepName[] = [];
        for (const step of MIKA_ACCOUNT_DELETE_STEPS) {
          if (request.steps[step]) continue;
          current = step;
          counts[step] = await ACCOUNT_DELETE_STEP_RUNS[step](ports, request, now);
          stepsRun.push(step);
        }
        current = "completion";
        const completed = await ports.completeAccountDeleteRequestWithSteps({
          requestId: request.id,
          steps: counts,
          now,
        });
        if (!completed) throw new ErasureLostRace();
        return { counts, stepsRun };
      });
      Object.assign(item, committed.counts);
      return { ...item, stepsRun: committed.stepsRun, status: "completed" };
    }
    for (const step of MIKA_ACCOUNT_DELETE_STEPS) {
      if (request.steps[step]) continue;
      current = step;
      const value = await ACCOUNT_DELETE_STEP_RUNS[step](repositories, request, now);
      const recorded = await ops.recordAccountDeleteStep({
        requestId: request.id,
        step,
        value,
        now,
      });
      if (!recorded) return { ...item, status: "skipped" };
      item[step] = value;
      item.stepsRun.push(step);
    }
  } catch (error) {
    // Rolled back whole: nothing of this run stays, and the other runner's result stands.
    if (error instanceof ErasureLostRace) return { ...emptyItem(request.id), status: "skipped" };
    await ops.recordAccountDeleteError({
      requestId: request.id,
      now,
      error: storedStepError(current, error, store !== undefined),
    });
    return { ...item, status: "retrying", error: errorMessage(error) };
  }

  const completed = await ops.completeAccountDeleteRequest({ requestId: request.id, now });
  return { ...item, status: completed ? "completed" : "skipped" };
}

/**
 * The error text stored on the request: the step and the kind of error, never the message,
 * which may quote the person's data (a driver error echoing a row, a provider quoting an
 * address). The full message goes to the caller in the item result only.
 */
function storedStepError(step: ErasurePhase, error: unknown, rolledBack: boolean): string {
  const kind = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === "string" || typeof code === "number" ? ` (code ${code})` : "";
  const next = rolledBack
    ? "The request stays queued; the run's transaction was rolled back, so the next run starts the erasure over."
    : "The request stays queued and resumes at this step on the next run.";
  return `Erasure step ${step} failed with ${kind}${codeText}; the message is not stored because it may quote personal data (the run result carries it). ${next}`;
}

/** Where an erasure run stands, as its stored error names it. */
type ErasurePhase = MikaAccountDeleteStepName | "blockerCheck" | "completion";

async function setAside(
  repositories: MikaAccountDeleteRepositories,
  row: MikaUnreadableRow,
  now: ISODateTime,
): Promise<MikaAccountDeleteItemResult> {
  const error = setAsideMessage(row);
  const setAsideNow = await repositories.ops.setAsideUnreadableAccountDeleteRequest({
    requestId: row.id,
    now,
    error,
  });
  return { ...emptyItem(row.id), status: setAsideNow ? "failed" : "skipped", error };
}

function readRecordedCounts(
  item: MikaAccountDeleteItemResult,
  request: MikaAccountDeleteRequestRecord,
): void {
  for (const step of MIKA_ACCOUNT_DELETE_STEPS) {
    const recorded = request.steps[step];
    if (recorded) item[step] = recorded.value;
  }
}

function emptyItem(requestId: string): MikaAccountDeleteItemResult {
  const item: MikaAccountDeleteItemResult = {
    requestId,
    status: "completed",
    tokensDeleted: 0,
    reservationsReleased: 0,
    emailsRedacted: 0,
    accountExportsRedacted: 0,
    workflowsRedacted: 0,
    webhookEventsRedacted: 0,
    acpSessionsDeleted: 0,
    ordersAnonymized: 0,
    entitlementsAnonymized: 0,
    licensesAnonymized: 0,
    customerAnonymized: 0,
    stepsRun: [],
  };
  return item;
}
