import type { ISODateTime } from "../time.ts";
import type { MikaMetadata } from "./common.ts";
import type {
  MikaErasureSubject,
  MikaReclaimExhaustedInput,
  MikaReclaimResult,
  MikaRedactEmailsInput,
} from "./email-outbox.ts";

/** Where a workflow is in its life. `completed` and `failed` are final. */
export type MikaWorkflowStatus = "queued" | "running" | "completed" | "failed";

/** A host workflow run, leased by the host's workers like an outbox email. */
export interface MikaWorkflowRecord {
  id: string;
  /** The workflow's kind, e.g. `order.fulfil`. */
  name: string;
  status: MikaWorkflowStatus;
  input: MikaMetadata;
  output: MikaMetadata | null;
  /** The person the workflow is about, so an erasure can find it (decision 0011). */
  customerId: string | null;
  userId: string | null;
  emailHash: string | null;
  /** When an erasure emptied input, output and error; redacted rows are never matched again. */
  redactedAt: ISODateTime | null;
  /**
   * What the workflow acts on, e.g. the stored webhook event a `payment_webhook_fulfillment`
   * replays. Never personal data (erasure leaves it alone).
   */
  subjectId: string | null;
  /**
   * When the workflow is due for another attempt by maintenance (`webhookRetries`); `null` means
   * maintenance never retries it. Each retry moves it forward by the backoff.
   */
  nextAttemptAt: ISODateTime | null;
  attemptCount: number;
  maxAttempts: number;
  leaseKey: string | null;
  leasedAt: ISODateTime | null;
  leaseExpiresAt: ISODateTime | null;
  lastError: string | null;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
  finishedAt: ISODateTime | null;
}

/** What `enqueueWorkflow` takes. */
export interface MikaEnqueueWorkflowInput extends Partial<MikaErasureSubject> {
  id?: string;
  name: string;
  /** May hold personal data only when the person is named by customerId, userId or emailHash. */
  input?: MikaMetadata;
  /** Defaults to 3. */
  maxAttempts?: number;
  /** What the workflow acts on (a webhook event id); see `MikaWorkflowRecord.subjectId`. */
  subjectId?: string | null;
  /** When maintenance should retry it if it has not completed by then; default never. */
  nextAttemptAt?: ISODateTime | null;
  now: ISODateTime;
}

/** The default number of attempts a workflow gets before it is exhausted. */
export const MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS = 3;

/** What `tryLeaseWorkflow` takes: the workflow, the caller's lease key and when the lease expires. */
export interface MikaTryLeaseWorkflowInput {
  workflowId: string;
  leaseKey: string;
  now: ISODateTime;
  leaseExpiresAt: ISODateTime;
}

/** What `completeWorkflow` takes; it only succeeds while the caller still holds the lease. */
export interface MikaCompleteWorkflowInput {
  workflowId: string;
  leaseKey: string;
  now: ISODateTime;
  output?: MikaMetadata;
}

/** What `extendWorkflowLease` takes: the holder's key and the lease's new end. */
export interface MikaExtendWorkflowLeaseInput {
  workflowId: string;
  leaseKey: string;
  now: ISODateTime;
  leaseExpiresAt: ISODateTime;
}

/** What `listDueWorkflowRetries` takes: the workflow kind (`name`) and a batch size. */
export interface MikaListDueWorkflowRetriesInput {
  name: string;
  now: ISODateTime;
  limit: number;
}

/** Due workflows, earliest `nextAttemptAt` first, and whether more are due. */
export interface MikaDueWorkflowRetries {
  items: MikaWorkflowRecord[];
  hasMore: boolean;
}

/**
 * What `claimWorkflowRetry` takes: the attempt count the caller saw (the compare-and-set) and
 * when the workflow is due again if this attempt does not complete it.
 */
export interface MikaClaimWorkflowRetryInput {
  workflowId: string;
  attemptCount: number;
  now: ISODateTime;
  nextAttemptAt: ISODateTime;
}

/** What `failExhaustedWorkflowRetry` takes: the attempt count the caller saw and the error. */
export interface MikaFailExhaustedWorkflowRetryInput {
  workflowId: string;
  attemptCount: number;
  now: ISODateTime;
  error: string;
}

/** Workflow storage: hosts enqueue, lease and complete; maintenance reclaims the exhausted. */
export interface MikaWorkflowPort {
  enqueueWorkflow(input: MikaEnqueueWorkflowInput): Promise<MikaWorkflowRecord>;
  getWorkflow(workflowId: string): Promise<MikaWorkflowRecord | null>;
  /**
   * Leases a workflow that is `queued`, or `running` with an expired lease, and has
   * `attemptCount < maxAttempts`: status `running`, `attemptCount + 1`. `null` otherwise.
   */
  tryLeaseWorkflow(input: MikaTryLeaseWorkflowInput): Promise<MikaWorkflowRecord | null>;
  /**
   * Heartbeat: moves the lease's end to `leaseExpiresAt` while `leaseKey` still holds the
   * workflow (`running`) and the lease has not run out at `now` (compare-and-set). `null` when
   * the lease is lost, so a stale holder learns it must stop.
   */
  extendWorkflowLease(input: MikaExtendWorkflowLeaseInput): Promise<MikaWorkflowRecord | null>;
  /** Marks a running workflow `completed` when `leaseKey` still holds it. */
  completeWorkflow(input: MikaCompleteWorkflowInput): Promise<MikaWorkflowRecord | null>;
  /**
   * Exhausted workflows: `running`, `leaseExpiresAt <= now`, `attemptCount >= maxAttempts`.
   * Marks up to `limit` of them `failed` with `error`, lease cleared, `finishedAt = now`.
   */
  reclaimExhaustedWorkflows(input: MikaReclaimExhaustedInput): Promise<MikaReclaimResult>;
  /**
   * Workflows of kind `name` due for a maintenance retry: `nextAttemptAt <= now` and either
   * `queued` or `running` with a lease run out; exhausted ones included (the caller settles
   * them). Up to `limit`, earliest `nextAttemptAt` first (then id); reads only.
   */
  listDueWorkflowRetries(input: MikaListDueWorkflowRetriesInput): Promise<MikaDueWorkflowRetries>;
  /**
   * Claims one retry attempt: when the workflow is still due (as `listDueWorkflowRetries`),
   * still has `attemptCount` equal to the input's and below `maxAttempts`, counts the attempt
   * (`attemptCount + 1`) and moves `nextAttemptAt`; status and lease stay. `null` when another
   * caller claimed it first or it is no longer due, so concurrent runners retry it once.
   */
  claimWorkflowRetry(input: MikaClaimWorkflowRetryInput): Promise<MikaWorkflowRecord | null>;
  /**
   * Settles a due workflow with no attempts left (`attemptCount` as seen and `>= maxAttempts`):
   * status `failed`, `lastError = error`, `finishedAt = now`, `nextAttemptAt` and lease cleared.
   * False when it changed since it was listed.
   */
  failExhaustedWorkflowRetry(input: MikaFailExhaustedWorkflowRetryInput): Promise<boolean>;
  /**
   * Erasure: workflows matching the subject (customer id, user id or email hash) and not yet
   * redacted get input `{}`, output `null`, a `lastError` replaced by `[redacted]`,
   * `userId`/`emailHash` removed and `redactedAt = now`; status and counts stay. Returns the rows
   * changed; a second call returns 0.
   */
  redactWorkflowsForAccountDelete(input: MikaRedactEmailsInput): Promise<number>;
}
