import type { MikaAccountDeleteStepName } from "../ports/account-delete-requests.ts";

/** One request's outcome in an account-delete run. */
export interface MikaAccountDeleteItemResult {
  requestId: string;
  /**
   * `completed`: erased. `failed`: blocked before anything changed (final). `retrying`: a step
   * threw; the error is recorded and the request stays queued for the next run. `failed` is
   * also the outcome of a request whose row cannot be read (set aside, `error` names table,
   * row and field). `skipped`:
   * another runner is processing it right now.
   */
  status: "completed" | "failed" | "retrying" | "skipped";
  /** Every step's row count (0 for steps that did not run yet). */
  tokensDeleted: number;
  reservationsReleased: number;
  emailsRedacted: number;
  accountExportsRedacted: number;
  workflowsRedacted: number;
  webhookEventsRedacted: number;
  acpSessionsDeleted: number;
  ordersAnonymized: number;
  entitlementsAnonymized: number;
  licensesAnonymized: number;
  customerAnonymized: number;
  /** Steps that ran in this run (not reused from an earlier one). */
  stepsRun: MikaAccountDeleteStepName[];
  /** The full error message, for the caller only: it may quote personal data, so it is never stored. */
  error?: string;
}

/** Counters and items of one account-delete run. */
export interface MikaAccountDeleteRunResult {
  scanned: number;
  completed: number;
  failed: number;
  retrying: number;
  hasMore: boolean;
  items: MikaAccountDeleteItemResult[];
}
