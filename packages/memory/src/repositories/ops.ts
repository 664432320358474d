import type { MikaOpsRepository } from "@mika-maintenance/core";
import type { MemoryState } from "../schema/tables.ts";
import { createMemoryAccountDeleteRequests } from "./account-delete-requests.ts";
import { createMemoryAccountExports } from "./account-exports.ts";
import { createMemoryEmailOutbox } from "./email-outbox.ts";
import { createMemoryWebhookEvents } from "./webhook-events.ts";
import { createMemoryWorkflows } from "./workflows.ts";

/** `repositories.ops`: outbox, workflows, webhook events, erasure queue and exports. */
export function createMemoryOps(state: MemoryState): MikaOpsRepository {
  return {
    ...createMemoryEmailOutbox(state),
    ...createMemoryWorkflows(state),
    ...createMemoryWebhookEvents(state),
    ...createMemoryAccountDeleteRequests(state),
    ...createMemoryAccountExports(state),
  };
}
