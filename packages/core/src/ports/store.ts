import type { ISODateTime } from "../time.ts";
import type { MikaAccountRepository } from "./account.ts";
import type {
  MikaAccountDeleteRequestPort,
  MikaAccountDeleteStepName,
} from "./account-delete-requests.ts";
import type { MikaAcpSessionStore } from "./acp-sessions.ts";
import type { MikaEphemeralRepository } from "./ephemeral.ts";
import type { MikaLedgerRepository } from "./ledger.ts";
import type { MikaOpsRepository } from "./ops.ts";
import type { MikaSessionRepository } from "./session.ts";
import type { MikaStockRepository } from "./stock.ts";

/**
 * The kinds of due work a store can answer for, one per sweep the adapter's tables hold:
 * `dueEmails` (what `claimDueEmails` would lease), `exhaustedEmails` (`reclaimExhaustedEmails`),
 * `rawPayloads` (`purgeWebhookRawPayloads` at the cutoff), `acpSessions` (`cleanupExpired`,
 * either half), `expiredReservations` (`releaseExpiredReservations`), `expiredEphemeral`
 * (`purgeExpired`), `queuedErasures` (any queued account-delete request) and
 * `exhaustedWorkflows` (`reclaimExhaustedWorkflows`).
 */
export const MIKA_DUE_WORK_KINDS = [
  "dueEmails",
  "exhaustedEmails",
  "rawPayloads",
  "acpSessions",
  "expiredReservations",
  "expiredEphemeral",
  "queuedErasures",
  "exhaustedWorkflows",
] as const;

/** One kind of due work a store's probe answers for. */
export type MikaDueWorkKind = (typeof MIKA_DUE_WORK_KINDS)[number];

/** What `probeDueWork` takes: the sweep's instant and the raw-payload retention cutoff. */
export interface MikaProbeDueWorkInput {
  now: ISODateTime;
  /** Webhook events received at or before this instant are past retention. */
  rawPayloadCutoff: ISODateTime;
}

/**
 * Per kind: `true` when the sweep would find anything to do at `now`. A kind may only be
 * `false` when its sweep, run at `now`, would change nothing; a store that is unsure says `true`.
 */
export type MikaDueWork = Record<MikaDueWorkKind, boolean>;

/** One erasure step's count, as the one-transaction erasure records them all at once. */
export type MikaAccountDeleteStepCounts = Partial<Record<MikaAccountDeleteStepName, number>>;

/**
 * The ports an erasure uses, bound to one open transaction, plus the request's closing write.
 * Nothing written through them is visible to others until the transaction commits.
 */
export interface MikaErasureTransactionPorts {
  ops: MikaOpsRepository;
  ephemeral: MikaEphemeralRepository;
  stock: MikaStockRepository;
  account: MikaAccountRepository;
  ledger: MikaLedgerRepository;
  session: MikaSessionRepository;
  acpSessions: Pick<MikaAcpSessionStore, "deleteSessionsForAccountDelete">;
  /**
   * Records every step in `steps` and completes the request in one write: compare-and-set on a
   * `queued` request that has none of these steps recorded yet (as `recordAccountDeleteStep`
   * and `completeAccountDeleteRequest` do one by one). `null` when another runner got there
   * first; the caller then rolls the transaction back.
   */
  completeAccountDeleteRequestWithSteps(input: {
    requestId: string;
    steps: MikaAccountDeleteStepCounts;
    now: ISODateTime;
  }): ReturnType<MikaAccountDeleteRequestPort["completeAccountDeleteRequest"]>;
}

/**
 * `repositories.store` (optional): what an adapter can do across its own ports because their
 * tables share one database. Core uses it only for ports the store says it serves, and falls
 * back to the port-by-port path for anything else, so an adapter without it works unchanged.
 */
export interface MikaStorePort {
  /** True when `port` is one of this adapter's own port objects (its rows are in this store). */
  serves(port: unknown): boolean;
  /**
   * Answers, in one round trip, which kinds of due work exist at `now` (see `MikaDueWork`),
   * reading only indexes the sweeps themselves use. The runner skips a task whose kind is
   * `false`, reporting it completed with zero counts.
   */
  probeDueWork?(input: MikaProbeDueWorkInput): Promise<MikaDueWork>;
  /**
   * Runs `work` in one transaction over ports bound to it: committed when `work` resolves,
   * rolled back (nothing of it stays) when it throws. The account-delete task uses it to
   * process a request and record its steps all at once.
   */
  transaction?<T>(work: (ports: MikaErasureTransactionPorts) => Promise<T>): Promise<T>;
}
