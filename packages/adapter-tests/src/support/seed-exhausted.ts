import type { MikaEmailOutboxPort, MikaWorkflowPort } from "@mika-maintenance/core";
import { expect } from "vitest";
import { at, DAY, MINUTE } from "./clock.ts";
import { uniqueId } from "./ids.ts";
import { enqueueTestEmail, leaseForTest, leaseTestEmail } from "./seed-emails.ts";

/**
 * An email whose worker died holding its last allowed lease: two attempts allowed, the second
 * lease taken at T0 - 1 min and expiring at T0 + `expiresInMs`.
 */
export async function seedExhaustedEmail(ops: MikaEmailOutboxPort, expiresInMs = 0) {
  const email = await enqueueTestEmail(ops, { maxAttempts: 2, now: at(-DAY) });
  await leaseTestEmail(ops, email.id, at(-10 * MINUTE), MINUTE);
  const last = await leaseTestEmail(ops, email.id, at(-MINUTE), MINUTE + expiresInMs);
  expect(last.email.attemptCount).toBe(2);
  return last.email;
}

/** Leases a workflow with a fresh key; fails the test when the lease is refused. */
export async function leaseTestWorkflow(
  ops: MikaWorkflowPort,
  workflowId: string,
  now: string,
  leaseMs: number,
) {
  const { leaseKey, row } = await leaseForTest(
    `workflow ${workflowId}`,
    "wlease",
    now,
    leaseMs,
    (lease) => ops.tryLeaseWorkflow({ workflowId, ...lease }),
  );
  return { leaseKey, workflow: row };
}

/** A running workflow on its last allowed attempt, its lease expiring at T0 + `expiresInMs`. */
export async function seedExhaustedWorkflow(ops: MikaWorkflowPort, expiresInMs = 0) {
  const workflow = await ops.enqueueWorkflow({
    id: uniqueId("wf"),
    name: "order.fulfil",
    input: { orderId: uniqueId("ord") },
    maxAttempts: 1,
    now: at(-10 * MINUTE),
  });
  return (await leaseTestWorkflow(ops, workflow.id, at(-MINUTE), MINUTE + expiresInMs)).workflow;
}
