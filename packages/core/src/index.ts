export * from "./account-delete/erasure-identity.ts";
export * from "./account-delete/process-account-delete-requests.ts";
export * from "./account-delete/types.ts";
export * from "./batching/adaptive-batch-size.ts";
export * from "./batching/sweep-in-batches.ts";
export * from "./email-outbox/create-email-outbox-runner.ts";
export {
  MIKA_EMAIL_OUTBOX_RUN_OPTION_KEYS,
  MIKA_EMAIL_OUTBOX_RUNNER_INPUT_KEYS,
  MIKA_MAX_EMAIL_LEASE_MS,
} from "./email-outbox/outbox-runner-options.ts";
export * from "./email-outbox/retry-delay.ts";
export * from "./email-outbox/types.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./ports/index.ts";
export * from "./runner/create-maintenance-runner.ts";
export * from "./runner/flatten-summary.ts";
export * from "./runner/resolve-now.ts";
export * from "./runner/results.ts";
export * from "./runner/run-options.ts";
export * from "./runner/runner-input.ts";
export * from "./runner/summarize.ts";
export * from "./runner/task.ts";
export * from "./runtime/index.ts";
export * from "./secrets/redact-secrets.ts";
export { MIKA_MAINTENANCE_TASKS } from "./tasks/registry.ts";
export { STUCK_EMAIL_ERROR } from "./tasks/stuck-emails.ts";
export { STUCK_WORKFLOW_ERROR } from "./tasks/stuck-workflows.ts";
export * from "./tasks/webhook-retries.ts";
export * from "./time.ts";
export * from "./validation/option-keys.ts";
export * from "./validation/port-input.ts";
