import type { ISODateTime } from "../time.ts";
import type { MikaBacklogFigure } from "./common.ts";
import type { MikaErasureSubject, MikaSetAsideRowInput } from "./email-outbox.ts";
import type { MikaRowRead } from "./unreadable-row.ts";

/** The erasure steps, in the order they run. */
export const MIKA_ACCOUNT_DELETE_STEPS = [
  "tokensDeleted",
  "reservationsReleased",
  "emailsRedacted",
  "accountExportsRedacted",
  "workflowsRedacted",
  "webhookEventsRedacted",
  "acpSessionsDeleted",
  "ordersAnonymized",
  "entitlementsAnonymized",
  "licensesAnonymized",
  "customerAnonymized",
] as const;

/** One erasure step's name. */
export type MikaAccountDeleteStepName = (typeof MIKA_ACCOUNT_DELETE_STEPS)[number];

/** A completed step as recorded on the request before the next step begins. */
export interface MikaAccountDeleteStepRecord {
  status: "completed";
  completedAt: ISODateTime;
  /** How many rows the step changed. */
  value: number;
}

/** Where an account-delete request stands: waiting, erased, or given up after its attempts. */
export type MikaAccountDeleteRequestStatus = "queued" | "completed" | "failed";

/** A queued GDPR erasure request and its recorded progress. */
export interface MikaAccountDeleteRequestRecord {
  id: string;
  status: MikaAccountDeleteRequestStatus;
  customerId: string | null;
  /** Cleared once the request completes. */
  userId: string | null;
  /** Cleared once the request completes. */
  emailHash: string | null;
  /** Hash of the confirmation token the person used; cleared once the request completes. */
  tokenHash: string | null;
  steps: Partial<Record<MikaAccountDeleteStepName, MikaAccountDeleteStepRecord>>;
  /** Number of runs that stopped on an error; the request stays queued while retryable. */
  errorCount: number;
  lastError: string | null;
  requestedAt: ISODateTime;
  updatedAt: ISODateTime;
  completedAt: ISODateTime | null;
  failedAt: ISODateTime | null;
}

/** What `queueAccountDeleteRequest` takes: the person to erase (any identifier) and when. */
export interface MikaQueueAccountDeleteRequestInput extends Partial<MikaErasureSubject> {
  id?: string;
  tokenHash?: string | null;
  now: ISODateTime;
}

/** One erasure step's count, recorded so a resumed request skips finished steps. */
export interface MikaRecordAccountDeleteStepInput {
  requestId: string;
  step: MikaAccountDeleteStepName;
  value: number;
  now: ISODateTime;
}

/** Account-delete queue storage. */
export interface MikaAccountDeleteRequestPort {
  /** Queues an erasure; at least one of customerId, userId, emailHash is required. */
  queueAccountDeleteRequest(
    input: MikaQueueAccountDeleteRequestInput,
  ): Promise<MikaAccountDeleteRequestRecord>;
  getAccountDeleteRequest(requestId: string): Promise<MikaAccountDeleteRequestRecord | null>;
  /**
   * Queued requests, oldest `requestedAt` first (then id), at most `limit`. A row that cannot be
   * read stands in the list as a `MikaUnreadableRow`; the rest are returned.
   */
  listQueuedAccountDeleteRequests(input: {
    limit: number;
  }): Promise<MikaRowRead<MikaAccountDeleteRequestRecord>[]>;
  /**
   * Sets aside a queued request whose row cannot be read: `failed`, `lastError = error`,
   * `failedAt = now`, without reading the row. `false` when it was not queued.
   */
  setAsideUnreadableAccountDeleteRequest(
    input: MikaSetAsideRowInput & { requestId: string },
  ): Promise<boolean>;
  /**
   * Records a completed step. Compare-and-set: only on a `queued` request whose `step` is not
   * recorded yet; `null` otherwise (another runner got there first).
   */
  recordAccountDeleteStep(
    input: MikaRecordAccountDeleteStepInput,
  ): Promise<MikaAccountDeleteRequestRecord | null>;
  /**
   * Completes a `queued` request: status `completed`, `completedAt = now`, `lastError` cleared,
   * and the request's own `userId`, `emailHash` and `tokenHash` cleared. `null` when it was not
   * queued.
   */
  completeAccountDeleteRequest(input: {
    requestId: string;
    now: ISODateTime;
  }): Promise<MikaAccountDeleteRequestRecord | null>;
  /**
   * Records a retryable error: `lastError`, `errorCount + 1`; the request stays `queued`. The
   * caller passes text without personal data (the processor records the step and error kind).
   */
  recordAccountDeleteError(input: {
    requestId: string;
    now: ISODateTime;
    error: string;
  }): Promise<MikaAccountDeleteRequestRecord | null>;
  /** Fails a `queued` request for good (`failed`, `lastError`, `failedAt`). */
  failAccountDeleteRequest(input: {
    requestId: string;
    now: ISODateTime;
    error: string;
  }): Promise<MikaAccountDeleteRequestRecord | null>;
  /** Count and oldest `requestedAt` of queued requests. */
  describeAccountDeleteBacklog(input: { now: ISODateTime }): Promise<MikaBacklogFigure>;
  /**
   * Count and oldest `requestedAt` of requests that `failed` (blocked by a subscription or a
   * pending checkout, or set aside unreadable) at or after `failedSince`: erasures a person is
   * still owed an answer on. Failed requests are kept, so the window keeps the figure a to-do.
   */
  describeBlockedAccountDeleteBacklog(input: {
    failedSince: ISODateTime;
  }): Promise<MikaBacklogFigure>;
}

/**
 * What is wrong with a stored `steps` value (the JSON member and the problem), or `null` when
 * it reads as recorded steps. Adapters use it to read request rows one by one.
 */
export function findAccountDeleteStepsProblem(
  value: unknown,
): { field: string; problem: string } | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { field: "steps", problem: "is not a JSON object" };
  }
  const known = new Set<string>(MIKA_ACCOUNT_DELETE_STEPS);
  for (const [step, record] of Object.entries(value)) {
    const field = `steps.${step}`;
    if (!known.has(step)) {
      return { field, problem: `is not a step (known: ${MIKA_ACCOUNT_DELETE_STEPS.join(", ")})` };
    }
    const { status, completedAt, value: count } = (record ?? {}) as Record<string, unknown>;
    if (
      status !== "completed" ||
      typeof completedAt !== "string" ||
      !Number.isFinite(Date.parse(completedAt)) ||
      typeof count !== "number" ||
      !Number.isSafeInteger(count) ||
      count < 0
    ) {
      return {
        field,
        problem: 'is not { status: "completed", completedAt: <ISO time>, value: <whole number> }',
      };
    }
  }
  return null;
}
