import { MIKA_WEBHOOK_RETRY_WORKFLOW, type MikaRepositories } from "@mika-maintenance/core";
import { at, DAY, HOUR, MINUTE } from "./clock.ts";
import { uniqueId } from "./ids.ts";
import { enqueueTestEmail } from "./seed-emails.ts";
import { seedExhaustedEmail, seedExhaustedWorkflow } from "./seed-exhausted.ts";
import { seedReservation, seedStockItem } from "./seed-stock.ts";

/** One due item for every maintenance task, as of T0. */
export interface DueWork {
  emailId: string;
  exhaustedEmailId: string;
  webhookEventId: string;
  /** Null when the adapter's ACP store cannot create sessions. */
  acpSessionId: string | null;
  reservationId: string;
  stockItemId: string;
  ephemeralKey: string;
  accountDeleteRequestId: string;
  workflowId: string;
  /** A payment-fulfilment workflow due for a webhook replay. */
  retryWorkflowId: string;
}

/** Seeds exactly one item that each task will move when run at T0. */
export async function seedDueWork(repositories: MikaRepositories): Promise<DueWork> {
  const { ops, stock, ephemeral, acpSessions } = repositories;
  const email = await enqueueTestEmail(ops, { now: at(-MINUTE) });
  const exhausted = await seedExhaustedEmail(ops, 0);
  const event = await ops.recordWebhookEvent({
    id: uniqueId("evt"),
    provider: "stripe",
    eventType: "charge.succeeded",
    externalId: uniqueId("ext"),
    rawPayload: '{"object":"charge"}',
    normalizedPayload: { kind: "charge" },
    receivedAt: at(-30 * DAY),
  });
  const session = acpSessions.createSession
    ? await acpSessions.createSession({ id: uniqueId("acp"), now: at(-HOUR) })
    : null;
  const item = await seedStockItem(stock, 10);
  const reservation = await seedReservation(stock, {
    stockItemId: item.id,
    quantity: 2,
    expiresAt: at(-MINUTE),
  });
  const token = await ephemeral.putEphemeralRecord({
    kind: "token",
    key: uniqueId("tok"),
    subjectHash: uniqueId("subject"),
    value: "v",
    expiresAt: at(-MINUTE),
    now: at(-HOUR),
  });
  const request = await ops.queueAccountDeleteRequest({
    id: uniqueId("adr"),
    userId: uniqueId("usr"),
    now: at(-HOUR),
  });
  const workflow = await seedExhaustedWorkflow(ops, 0);
  const retry = await ops.enqueueWorkflow({
    id: uniqueId("wf"),
    name: MIKA_WEBHOOK_RETRY_WORKFLOW,
    subjectId: uniqueId("wh"),
    nextAttemptAt: at(-MINUTE),
    now: at(-HOUR),
  });
  return {
    emailId: email.id,
    exhaustedEmailId: exhausted.id,
    webhookEventId: event.id,
    acpSessionId: session?.id ?? null,
    reservationId: reservation.id,
    stockItemId: item.id,
    ephemeralKey: token.key,
    accountDeleteRequestId: request.id,
    workflowId: workflow.id,
    retryWorkflowId: retry.id,
  };
}
