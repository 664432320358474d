import { accountDeleteGroup } from "./account-delete.ts";
import { accountDeleteFaultsGroup } from "./account-delete-faults.ts";
import { accountDeleteRequestPortGroup } from "./account-delete-request-port.ts";
import { accountPortsGroup } from "./account-ports.ts";
import { acpSessionsGroup } from "./acp-sessions.ts";
import { backlogFiguresGroup } from "./backlog-figures.ts";
import { boundedBatchesGroup } from "./bounded-batches.ts";
import { dueWorkProbeGroup } from "./due-work-probe.ts";
import { emailClaimsGroup } from "./email-claims.ts";
import { emailOutboxPortGroup } from "./email-outbox-port.ts";
import { emailOutboxRunnerGroup } from "./email-outbox-runner.ts";
import { ephemeralGroup } from "./ephemeral.ts";
import { erasurePiiScanGroup } from "./erasure-pii-scan.ts";
import { hostTasksGroup } from "./host-tasks.ts";
import { leadershipGroup } from "./leadership.ts";
import { leaseHeartbeatsGroup } from "./lease-heartbeats.ts";
import { malformedRowsGroups } from "./malformed-rows.ts";
import { outboxConcurrencyGroup } from "./outbox-concurrency.ts";
import { outboxSendsInFlightGroup } from "./outbox-sends-in-flight.ts";
import { portInputsGroup } from "./port-inputs.ts";
import { runHistoryGroup } from "./run-history.ts";
import { runOptionsGroup } from "./run-options.ts";
import { runnerTasksGroup } from "./runner-tasks.ts";
import { runtimeStateGroup } from "./runtime-state.ts";
import { stockGroup } from "./stock.ts";
import { stockConcurrencyGroup } from "./stock-concurrency.ts";
import { stuckEmailsGroup } from "./stuck-emails.ts";
import { webhookRetentionGroup } from "./webhook-retention.ts";
import { webhookRetriesGroup } from "./webhook-retries.ts";
import { workflowsGroup } from "./workflows.ts";

/**
 * Every conformance group definition, in the order they run: the one list a new group joins.
 * `MIKA_CONFORMANCE_GROUPS` and the `MikaConformanceGroup` opt-out keys derive from it.
 */
export const MIKA_CONFORMANCE_GROUP_DEFINITIONS = [
  emailOutboxPortGroup,
  emailOutboxRunnerGroup,
  outboxConcurrencyGroup,
  emailClaimsGroup,
  outboxSendsInFlightGroup,
  stuckEmailsGroup,
  workflowsGroup,
  webhookRetriesGroup,
  leaseHeartbeatsGroup,
  webhookRetentionGroup,
  acpSessionsGroup,
  stockGroup,
  stockConcurrencyGroup,
  ephemeralGroup,
  accountPortsGroup,
  accountDeleteRequestPortGroup,
  accountDeleteGroup,
  accountDeleteFaultsGroup,
  erasurePiiScanGroup,
  leadershipGroup,
  runtimeStateGroup,
  runHistoryGroup,
  backlogFiguresGroup,
  runnerTasksGroup,
  dueWorkProbeGroup,
  hostTasksGroup,
  runOptionsGroup,
  boundedBatchesGroup,
  ...malformedRowsGroups,
  portInputsGroup,
] as const;
