import { accountDeleteRequestsTask } from "./account-delete-requests.ts";
import { acpSessionsTask } from "./acp-sessions.ts";
import { emailOutboxTask } from "./email-outbox.ts";
import { ephemeralRecordsTask } from "./ephemeral-records.ts";
import { rawProviderPayloadsTask } from "./raw-provider-payloads.ts";
import { stockReservationsTask } from "./stock-reservations.ts";
import { stuckEmailsTask } from "./stuck-emails.ts";
import { stuckWorkflowsTask } from "./stuck-workflows.ts";
import { webhookRetriesTask } from "./webhook-retries.ts";

/** Every maintenance task, in run order. The runner only iterates this list. */
export const MIKA_MAINTENANCE_TASKS = [
  emailOutboxTask,
  stuckEmailsTask,
  rawProviderPayloadsTask,
  acpSessionsTask,
  stockReservationsTask,
  ephemeralRecordsTask,
  accountDeleteRequestsTask,
  stuckWorkflowsTask,
  webhookRetriesTask,
] as const;
