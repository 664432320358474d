import type { MikaOpsRepository } from "@mika-maintenance/core";
import { createAccountDeleteRequestRepository } from "./account-delete-requests.ts";
import { createAccountExportRepository } from "./account-exports.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { createEmailOutboxRepository } from "./email-outbox.ts";
import { createWebhookEventRepository } from "./webhook-events.ts";
import { createWorkflowRepository } from "./workflows.ts";

/** `repositories.ops`: the outbox, workflows, webhooks, erasure queue and data exports. */
export function createOpsRepository(context: PostgresRepositoryContext): MikaOpsRepository {
  return {
    ...createEmailOutboxRepository(context),
    ...createWorkflowRepository(context),
    ...createWebhookEventRepository(context),
    ...createAccountDeleteRequestRepository(context),
    ...createAccountExportRepository(context),
  };
}
