import type { ISODateTime, MikaRepositories } from "@mika-maintenance/core";
import { expect } from "vitest";

/**
 * After the migration that adds erasure subjects, on rows the previous release wrote: workflow
 * `wf-old` (input `{ email: "old@mail.example" }`), webhook event `wh-old` and ACP session
 * `acp-old` read with no subject, and an erasure reaches new rows but never the old one.
 */
export async function expectErasureSubjectsUpgrade(
  repositories: Pick<MikaRepositories, "ops" | "acpSessions">,
  now: ISODateTime,
): Promise<void> {
  const { ops } = repositories;
  expect(await ops.getWorkflow("wf-old")).toMatchObject({
    input: { email: "old@mail.example" },
    customerId: null,
    redactedAt: null,
  });
  expect(await ops.getWebhookEvent("wh-old")).toMatchObject({ customerId: null });
  expect(await repositories.acpSessions.getSession?.("acp-old")).toMatchObject({
    customerId: null,
  });
  await ops.enqueueWorkflow({ id: "wf-new", name: "x", customerId: "c1", now });
  const subject = { customerId: "c1", userId: null, emailHash: null, now };
  expect(await ops.redactWorkflowsForAccountDelete(subject)).toBe(1);
  expect(await ops.getWorkflow("wf-old")).toMatchObject({ redactedAt: null });
}

/**
 * After the migration that adds workflow retries, on rows the previous release wrote (workflows
 * `wf-queued` with input `{ a: 1 }` and `wf-running` leased by `k1` on attempt 1, both of kind
 * `name`): both read as before with no subject and no next attempt, so maintenance never
 * retries them at `later`, while a new workflow due at `now` is listed.
 */
export async function expectWorkflowRetriesUpgrade(
  repositories: Pick<MikaRepositories, "ops">,
  { name, now, later }: { name: string; now: ISODateTime; later: ISODateTime },
): Promise<void> {
  const { ops } = repositories;
  expect(await ops.getWorkflow("wf-queued")).toMatchObject({
    input: { a: 1 },
    status: "queued",
    subjectId: null,
    nextAttemptAt: null,
  });
  expect(await ops.getWorkflow("wf-running")).toMatchObject({
    status: "running",
    attemptCount: 1,
    leaseKey: "k1",
    subjectId: null,
    nextAttemptAt: null,
  });
  expect(await ops.listDueWorkflowRetries({ name, now: later, limit: 10 })).toEqual({
    items: [],
    hasMore: false,
  });
  await ops.enqueueWorkflow({ id: "wf-new", name, subjectId: "wh-1", nextAttemptAt: now, now });
  const due = await ops.listDueWorkflowRetries({ name, now: later, limit: 10 });
  expect(due.items.map((workflow) => workflow.id)).toEqual(["wf-new"]);
}
