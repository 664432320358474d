import {
  createMikaEmailOutboxRunner,
  type MikaMaintenanceRunnerInput,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import type { MikaCliConfig } from "./config-schema.ts";

/**
 * The runner's dependencies: the store's ports, plus whatever application code the config
 * module brought. Without a sender there is no outbox runner, so `emailOutbox` is skipped
 * with its reason rather than faked.
 */
export function runnerInputFor(
  store: MikaStorageAdapter,
  config: MikaCliConfig,
): MikaMaintenanceRunnerInput {
  const input: MikaMaintenanceRunnerInput = { repositories: store };
  if (config.sender) {
    input.emailOutboxRunner = createMikaEmailOutboxRunner({
      repositories: store,
      sender: config.sender,
      ...(config.prepare ? { prepare: config.prepare } : {}),
      ...(config.emailLeaseMs ? { leaseMs: config.emailLeaseMs } : {}),
      ...(config.emailConcurrency ? { concurrency: config.emailConcurrency } : {}),
      ...(config.emailMaxPerSecond ? { maxPerSecond: config.emailMaxPerSecond } : {}),
    });
  }
  if (config.acpSessionStore) input.acpSessionStore = config.acpSessionStore;
  if (config.cleanupExpiredAcpSessions) {
    input.cleanupExpiredAcpSessions = config.cleanupExpiredAcpSessions;
  }
  if (config.releaseExpiredReservations) {
    input.releaseExpiredReservations = config.releaseExpiredReservations;
  }
  if (config.purgeExpiredEphemeralRecords) {
    input.purgeExpiredEphemeralRecords = config.purgeExpiredEphemeralRecords;
  }
  if (config.api) input.api = config.api;
  if (config.defaults) input.defaults = config.defaults;
  if (config.tasks) input.tasks = config.tasks;
  return input;
}

/** The hint printed under a skipped email lane. */
export const SENDER_HINT = "Email draining needs a sender: pass --config <module> exporting one.";
