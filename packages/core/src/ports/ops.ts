import type { MikaAccountDeleteRequestPort } from "./account-delete-requests.ts";
import type { MikaAccountExportPort } from "./account-exports.ts";
import type { MikaEmailOutboxPort } from "./email-outbox.ts";
import type { MikaWebhookEventPort } from "./webhook-events.ts";
import type { MikaWorkflowPort } from "./workflows.ts";

/**
 * `repositories.ops`: the operational tables of a commerce backend: the email outbox,
 * workflows, webhook events, account-delete requests and account exports.
 */
export interface MikaOpsRepository
  extends MikaEmailOutboxPort,
    MikaWorkflowPort,
    MikaWebhookEventPort,
    MikaAccountDeleteRequestPort,
    MikaAccountExportPort {}
