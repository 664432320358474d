import type { MikaOpsRepository } from "@mika-maintenance/core";
import { createPostgresAccountDeleteRequests } from "./account-delete-requests.ts";
import { createPostgresAccountExports } from "./account-exports.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { createPostgresEmailOutbox } from "./email-outbox.ts";
import { createPostgresWebhookEvents } from "./webhook-events.ts";
import { createPostgresWorkflows } from "./workflows.ts";

/** `repositories.ops`: the outbox, workflows, webhooks, erasure queue and data exports. */
export function createPostgresOps(context: PostgresRepositoryContext): MikaOpsRepository {
  return {
    ...createPostgresEmailOutbox(context),
    ...createPostgresWorkflows(context),
    ...createPostgresWebhookEvents(context),
    ...createPostgresAccountDeleteRequests(context),
    ...createPostgresAccountExports(context),
  };
}
