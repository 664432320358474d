import type { MikaEmailOutboxRunner } from "../email-outbox/types.ts";
import type {
  MikaAcpCleanupInput,
  MikaAcpCleanupResult,
  MikaAcpSessionStore,
} from "../ports/acp-sessions.ts";
import type { MikaPurgeExpiredResult } from "../ports/ephemeral.ts";
import type { MikaRepositories } from "../ports/repositories.ts";
import type { MikaReleaseExpiredReservationsResult } from "../ports/stock.ts";
import type { MikaWebhookReplayInput, MikaWebhookReplayResult } from "../tasks/webhook-retries.ts";
import type { ISODateTime, MikaClock } from "../time.ts";
import type { MikaOptionKeyTable } from "../validation/option-keys.ts";
import type { MikaResolvedRunLimits } from "./run-options.ts";
import type { MikaMaintenanceTask } from "./task.ts";

/** The host admin API's answer to `releaseExpiredReservations`. */
export type MikaAdminReleaseResult =
  | {
      ok: true;
      data?: {
        affected?: {
          reservationsScanned?: number;
          reservationsReleased?: number;
          stockItems?: number;
        };
      };
    }
  | { ok: false; error?: { message?: string } };

/** The slice of a host API the runner can use. */
export interface MikaMaintenanceHostApi {
  admin?: {
    releaseExpiredReservations?: (input: { now: ISODateTime }) => Promise<MikaAdminReleaseResult>;
    /**
     * Replays a stored webhook (EmDash: `api.admin.webhookReplay`). The `webhookRetries` task
     * skips without it; `ok: false` or a throw fails that attempt, retried after a backoff.
     */
    webhookReplay?: (input: MikaWebhookReplayInput) => Promise<MikaWebhookReplayResult>;
  };
}

/** Everything the runner may be given; each task runs only when its dependency is present. */
export interface MikaMaintenanceRunnerInput {
  repositories?: Partial<MikaRepositories>;
  emailOutboxRunner?: MikaEmailOutboxRunner;
  acpSessionStore?: Pick<MikaAcpSessionStore, "cleanupExpired"> &
    Partial<Pick<MikaAcpSessionStore, "deleteSessionsForAccountDelete">>;
  cleanupExpiredAcpSessions?: (input: MikaAcpCleanupInput) => Promise<MikaAcpCleanupResult>;
  releaseExpiredReservations?: (input: {
    now: ISODateTime;
    limit: number;
  }) => Promise<Partial<MikaReleaseExpiredReservationsResult>>;
  api?: MikaMaintenanceHostApi;
  purgeExpiredEphemeralRecords?: (input: {
    now: ISODateTime;
    limit: number;
  }) => Promise<MikaPurgeExpiredResult>;
  /** The clock used when a run gives no `now`. */
  now?: MikaClock;
  /** Host-wide limit overrides, applied under each run's own options. */
  defaults?: Partial<MikaResolvedRunLimits>;
  createId?: () => string;
  /**
   * Host-defined tasks (`defineMaintenanceTask`), run after the built-in ones with their own
   * lanes; keys must not clash with a built-in task or each other.
   */
  tasks?: readonly MikaMaintenanceTask<string, unknown, never>[];
}

/** Every key of `MikaMaintenanceRunnerInput`, for the unknown-key check. */
export const MIKA_RUNNER_INPUT_KEYS = {
  repositories: true,
  emailOutboxRunner: true,
  acpSessionStore: true,
  cleanupExpiredAcpSessions: true,
  releaseExpiredReservations: true,
  api: true,
  purgeExpiredEphemeralRecords: true,
  now: true,
  defaults: true,
  createId: true,
  tasks: true,
} as const satisfies MikaOptionKeyTable<MikaMaintenanceRunnerInput>;
