import type {
  MikaAcpCleanupInput,
  MikaAcpCleanupResult,
  MikaEmailOutboxRecord,
  MikaEmailSender,
  MikaHostTasks,
  MikaMaintenanceHostApi,
  MikaMaintenanceLimitName,
  MikaMaintenanceRunnerInput,
  MikaMaintenanceRuntimeInput,
  MikaMaintenanceTaskKey,
  MikaPreparedEmail,
  MikaRuntimePassEvent,
} from "@mika-maintenance/core";

/** One lane's overrides in a `--config` module. */
export interface MikaCliLaneConfig {
  /** How often the lane runs, in ms. */
  intervalMs?: number;
  /** How long one pass may take before it is abandoned, in ms. */
  timeoutMs?: number;
  /** `false` never runs the lane. */
  enabled?: boolean;
}

/**
 * A validated `--config` module export. Spelled out (not inferred from the zod schema that
 * validates it) so the published types carry no zod types; `config-schema.ts` keeps the two
 * in step at compile time.
 */
export interface MikaCliConfig<H extends MikaHostTasks = MikaHostTasks> {
  /** Delivers one email; without it the outbox is reported as skipped, never faked. */
  sender?: MikaEmailSender;
  /** Builds the message from the stored email, or skips it. */
  prepare?: (email: MikaEmailOutboxRecord) => MikaPreparedEmail | Promise<MikaPreparedEmail>;
  /** Email lease length in ms (default 300 000). */
  emailLeaseMs?: number;
  /** Email sends in flight per process (default 8). */
  emailConcurrency?: number;
  /** Cap on email sends started per second by this process (split a provider's limit across replicas). */
  emailMaxPerSecond?: number;
  /** The host's ACP session store. */
  acpSessionStore?: {
    cleanupExpired: (input: MikaAcpCleanupInput) => Promise<MikaAcpCleanupResult>;
    [key: string]: unknown;
  };
  /** ACP cleanup as a plain function, instead of `acpSessionStore`. */
  cleanupExpiredAcpSessions?: (input: MikaAcpCleanupInput) => Promise<MikaAcpCleanupResult>;
  /** The host's own reservation release, instead of the stock port. */
  releaseExpiredReservations?: MikaMaintenanceRunnerInput["releaseExpiredReservations"];
  /** The host's own ephemeral purge, instead of the ephemeral port. */
  purgeExpiredEphemeralRecords?: MikaMaintenanceRunnerInput["purgeExpiredEphemeralRecords"];
  /**
   * The host API: `api.admin.releaseExpiredReservations`, and `api.admin.webhookReplay` (the
   * replay driver `webhookRetries` needs).
   */
  api?: MikaMaintenanceHostApi;
  /** Run limits (emailLimit, stockReservationLimit, …), validated again by core. */
  defaults?: Partial<Record<MikaMaintenanceLimitName, number>>;
  /** Host-defined tasks (`defineMaintenanceTask`), run after the built-in ones with their own lanes. */
  tasks?: H;
  /** Per-lane overrides, by task key (built-in, or one of `tasks`). */
  lanes?: Partial<Record<MikaMaintenanceTaskKey | H[number]["key"], MikaCliLaneConfig>>;
  /** Runtime settings of `run` and `tick`, as core's runtime takes them. */
  runtime?: Pick<
    MikaMaintenanceRuntimeInput,
    | "leaderName"
    | "leaseTtlMs"
    | "renewEveryMs"
    | "heartbeatMs"
    | "hasMoreDelayMs"
    | "shutdownGraceMs"
    | "retention"
  >;
  /** Called after every runtime pass (for metrics). */
  onPass?: (event: MikaRuntimePassEvent) => void;
}
