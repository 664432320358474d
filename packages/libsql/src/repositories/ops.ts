import type { MikaOpsRepository } from "@mika-maintenance/core";
import type { MikaLibsqlDatabase } from "../database/libsql-database.ts";
import { createLibsqlAccountDeleteRequests } from "./account-delete-requests.ts";
import { createLibsqlAccountExports } from "./account-exports.ts";
import { createLibsqlEmailOutbox } from "./email-outbox.ts";
import { createLibsqlWebhookEvents } from "./webhook-events.ts";
import { createLibsqlWorkflows } from "./workflows.ts";

/** `repositories.ops`: outbox, workflows, webhooks, erasure queue and exports. */
export function createLibsqlOps(database: MikaLibsqlDatabase): MikaOpsRepository {
  return {
    ...createLibsqlEmailOutbox(database),
    ...createLibsqlWorkflows(database),
    ...createLibsqlWebhookEvents(database),
    ...createLibsqlAccountDeleteRequests(database),
    ...createLibsqlAccountExports(database),
  };
}
