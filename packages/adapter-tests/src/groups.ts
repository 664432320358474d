/** The named test groups of the conformance suite, in the order they run. */
export const MIKA_CONFORMANCE_GROUPS = [
  "emailOutboxPort",
  "emailOutboxRunner",
  "outboxConcurrency",
  "emailClaims",
  "outboxSendsInFlight",
  "stuckEmails",
  "workflows",
  "webhookRetention",
  "acpSessions",
  "stock",
  "stockConcurrency",
  "ephemeral",
  "accountPorts",
  "accountDeleteRequestPort",
  "accountDelete",
  "accountDeleteFaults",
  "erasurePiiScan",
  "leadership",
  "runtimeState",
  "runHistory",
  "runnerTasks",
  "runOptions",
  "boundedBatches",
  "malformedRowsInvalidJson",
  "malformedRowsJsonNotObject",
  "malformedRowsTimeBeyondRange",
  "malformedRowsInfiniteTime",
  "portInputs",
] as const;

/** The name of one conformance test group; adapters opt out of groups by these names. */
export type MikaConformanceGroup = (typeof MIKA_CONFORMANCE_GROUPS)[number];
