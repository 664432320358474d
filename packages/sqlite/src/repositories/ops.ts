import type { MikaOpsRepository } from "@mika-maintenance/core";
import type { MikaSqliteDatabase } from "../database.ts";
import { createSqliteAccountDeleteRequests } from "./account-delete-requests.ts";
import { createSqliteAccountExports } from "./account-exports.ts";
import { createSqliteEmailOutbox } from "./email-outbox.ts";
import { createSqliteWebhookEvents } from "./webhook-events.ts";
import { createSqliteWorkflows } from "./workflows.ts";

/** `repositories.ops`: outbox, workflows, webhooks, erasure queue and exports. */
export function createSqliteOps(database: MikaSqliteDatabase): MikaOpsRepository {
  return {
    ...createSqliteEmailOutbox(database),
    ...createSqliteWorkflows(database),
    ...createSqliteWebhookEvents(database),
    ...createSqliteAccountDeleteRequests(database),
    ...createSqliteAccountExports(database),
  };
}
