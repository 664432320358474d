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

/** Workflow storage: hosts enqueue, lease and complete; maintenance reclaims the exhausted. */
export interface MikaWorkflowPort {
  enqueueWorkflow(input: MikaEnqueueWorkflowInput): Promise<MikaWorkflowRecord>;
  getWorkflow(workflowId: string): Promise<MikaWorkflowRecord | null>;
  /**
   * Leases a workflow that is `queued`, or `running` with an expired lease, and has
   * `attemptCount < maxAttempts`: status `running`, `attemptCount + 1`. `null` otherwise.
   */
  tryLeaseWorkflow(input: MikaTryLeaseWorkflowInput): Promise<MikaWorkflowRecord | null>;
  /** Marks a running workflow `completed` when `leaseKey` still holds it. */
  completeWorkflow(input: MikaCompleteWorkflowInput): Promise<MikaWorkflowRecord | null>;
  /**
   * Exhausted workflows: `running`, `leaseExpiresAt <= now`, `attemptCount >= maxAttempts`.
   * Marks up to `limit` of them `failed` with `error`, lease cleared, `finishedAt = now`.
   */
  reclaimExhaustedWorkflows(input: MikaReclaimExhaustedInput): Promise<MikaReclaimResult>;
  /**
   * Erasure: workflows matching the subject (customer id, user id or email hash) and not yet
   * redacted get input `{}`, output `null`, a `lastError` replaced by `[redacted]`,
   * `userId`/`emailHash` removed and `redactedAt = now`; status and counts stay. Returns the rows
   * changed; a second call returns 0.
   */
  redactWorkflowsForAccountDelete(input: MikaRedactEmailsInput): Promise<number>;
}
