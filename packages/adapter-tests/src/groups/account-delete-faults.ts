import {
  createMikaMaintenanceRunner,
  MIKA_ACCOUNT_DELETE_STEPS,
  type MikaAccountDeleteStepName,
  type MikaRepositories,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, T0 } from "../support/clock.ts";
import { dumpWithoutRowsMentioning } from "../support/dump.ts";
import { instrumentRepositories } from "../support/instrument.ts";
import { completed } from "../support/runners.ts";
import { queueErasure, seedPerson } from "../support/seed-person.ts";

/** The port method each erasure step calls. */
export const ACCOUNT_DELETE_STEP_METHODS: Record<
  MikaAccountDeleteStepName,
  { port: keyof MikaRepositories; method: string }
> = {
  tokensDeleted: { port: "ephemeral", method: "deleteTokensBySubjectHashes" },
  reservationsReleased: { port: "stock", method: "releaseActiveReservationsByCustomer" },
  emailsRedacted: { port: "ops", method: "redactEmailsForAccountDelete" },
  accountExportsRedacted: { port: "ops", method: "redactAccountExportsForAccountDelete" },
  workflowsRedacted: { port: "ops", method: "redactWorkflowsForAccountDelete" },
  webhookEventsRedacted: { port: "ops", method: "redactWebhookEventsForAccountDelete" },
  acpSessionsDeleted: { port: "acpSessions", method: "deleteSessionsForAccountDelete" },
  ordersAnonymized: { port: "ledger", method: "anonymizeOrdersForAccountDelete" },
  entitlementsAnonymized: { port: "account", method: "anonymizeEntitlementsForAccountDelete" },
  licensesAnonymized: { port: "account", method: "anonymizeLicensesForAccountDelete" },
  customerAnonymized: { port: "account", method: "anonymizeCustomerForAccountDelete" },
};

const key = (step: MikaAccountDeleteStepName) =>
  `${ACCOUNT_DELETE_STEP_METHODS[step].port}.${ACCOUNT_DELETE_STEP_METHODS[step].method}`;

async function faultAtStepThenResume(
  { repositories, dumpTables }: MikaConformanceContext,
  faultIndex: number,
): Promise<void> {
  const faulty = MIKA_ACCOUNT_DELETE_STEPS[faultIndex]!;
  // With a store that erases in one transaction, a fault rolls the whole run back and the next
  // run starts over; step by step, the steps before the fault stay recorded and are resumed.
  const oneTransaction = typeof repositories.store?.transaction === "function";
  const person = await seedPerson(repositories);
  const request = await queueErasure(repositories, person);
  const seeded = dumpWithoutRowsMentioning(await dumpTables(), [request.id]);
  const instrumented = instrumentRepositories(repositories);
  const message = `injected fault in ${faulty}`;
  instrumented.failOnce({ ...ACCOUNT_DELETE_STEP_METHODS[faulty], error: new Error(message) });
  const runner = createMikaMaintenanceRunner({ repositories: instrumented.repositories });

  const first = completed((await runner.runOnce({ now: T0 })).accountDeleteRequests);
  expect(first).toMatchObject({ scanned: 1, completed: 0, failed: 0, retrying: 1 });
  const before = oneTransaction ? [] : MIKA_ACCOUNT_DELETE_STEPS.slice(0, faultIndex);
  expect(first.items[0]).toMatchObject({ status: "retrying", error: message, stepsRun: before });
  if (oneTransaction) {
    // No partial erasure: every row but the request's own is exactly as seeded.
    expect(dumpWithoutRowsMentioning(await dumpTables(), [request.id])).toEqual(seeded);
  }
  const interrupted = await repositories.ops.getAccountDeleteRequest(request.id);
  expect(interrupted).toMatchObject({
    status: "queued",
    errorCount: 1,
    userId: person.userId,
    emailHash: person.emailHash,
  });
  // The stored error names the step, never the thrown message (which may quote the person).
  expect(interrupted?.lastError).toContain(`Erasure step ${faulty} failed`);
  expect(interrupted?.lastError).not.toContain(message);
  expect(Object.keys(interrupted?.steps ?? {}).sort()).toEqual([...before].sort());

  const resumeAt = at(HOUR);
  const second = completed((await runner.runOnce({ now: resumeAt })).accountDeleteRequests);
  expect(second).toMatchObject({ scanned: 1, completed: 1, retrying: 0 });
  expect((await repositories.ops.getAccountDeleteRequest(request.id))?.lastError).toBeNull();
  expect(second.items[0]).toEqual({
    requestId: request.id,
    status: "completed",
    ...person.expectedCounts,
    stepsRun: MIKA_ACCOUNT_DELETE_STEPS.slice(before.length),
  });

  for (const [index, step] of MIKA_ACCOUNT_DELETE_STEPS.entries()) {
    // A step that ran in a rolled-back transaction ran again: its first call left nothing.
    const calls = oneTransaction && index < faultIndex ? 2 : 1;
    expect(instrumented.succeeded(key(step)), `successful calls of ${key(step)}`).toBe(calls);
    expect(instrumented.threw(key(step)), `failed calls of ${key(step)}`).toBe(
      step === faulty ? 1 : 0,
    );
  }
  const done = await repositories.ops.getAccountDeleteRequest(request.id);
  expect(done).toMatchObject({ status: "completed", completedAt: resumeAt, errorCount: 1 });
  MIKA_ACCOUNT_DELETE_STEPS.forEach((step, index) => {
    expect(done?.steps[step], step).toEqual({
      status: "completed",
      completedAt: index < before.length ? T0 : resumeAt,
      value: person.expectedCounts[step],
    });
  });
  expect(await repositories.account.getCustomer(person.customerId)).toMatchObject({
    email: null,
    anonymizedAt: resumeAt,
  });
}

/** An erasure interrupted at each step in turn, then resumed by a later run. */
export const accountDeleteFaultsGroup = defineConformanceGroup(
  "accountDeleteFaults",
  "an erasure that fails at any step leaves nothing half-done: step by step it resumes later, running every step once overall; in one transaction it is rolled back whole and runs again",
  Object.fromEntries(
    MIKA_ACCOUNT_DELETE_STEPS.map((step, index) => [
      `a fault in step ${index + 1} (${step}) is recorded, and the next run resumes from it`,
      (context: MikaConformanceContext) => faultAtStepThenResume(context, index),
    ]),
  ),
);
