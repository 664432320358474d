import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, T0 } from "../support/clock.ts";
import { instrumentRepositories } from "../support/instrument.ts";
import { findInDump } from "../support/pii-scan.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { seedFailedEmail } from "../support/seed-emails.ts";
import { type PersonPii, queueErasure, seedPerson } from "../support/seed-person.ts";

const piiValues = (pii: PersonPii) => [pii.email, pii.name, pii.company, pii.vatId];

/** The backdoor scan: after an erasure the person's data is nowhere in the store. */
export const erasurePiiScanGroup = defineConformanceGroup(
  "erasurePiiScan",
  "after an erasure no row of any table holds the person's email, name, company or VAT id",
  {
    "after a completed erasure the person's email, name, company and VAT id are nowhere": async ({
      repositories,
      dumpTables,
    }) => {
      const person = await seedPerson(repositories);
      const bystander = await seedPerson(repositories, person.stockItemId);
      const seeded = await dumpTables();
      for (const value of [...piiValues(person.pii), ...piiValues(bystander.pii)]) {
        expect(findInDump(seeded, [value]).length, `seeded ${value}`).toBeGreaterThan(0);
      }
      await queueErasure(repositories, person);
      const { runner, sender } = createTestRunner(repositories);
      const run = await runner.runOnce({ now: T0 });
      expect(completed(run.accountDeleteRequests)).toMatchObject({ completed: 1 });
      expect(sender.sent.length).toBeGreaterThan(0);

      const dump = await dumpTables();
      expect(findInDump(dump, piiValues(person.pii))).toEqual([]);
      for (const value of piiValues(bystander.pii)) {
        expect(findInDump(dump, [value]).length, `bystander ${value}`).toBeGreaterThan(0);
      }
    },

    "an erasure resumed after a fault leaves no personal data behind either": async ({
      repositories,
      dumpTables,
    }) => {
      const person = await seedPerson(repositories);
      const request = await queueErasure(repositories, person);
      const instrumented = instrumentRepositories(repositories);
      instrumented.failOnce({
        port: "ledger",
        method: "anonymizeOrdersForAccountDelete",
        error: new Error("connection lost"),
      });
      const { runner } = createTestRunner(instrumented.repositories);
      const first = completed((await runner.runOnce({ now: T0 })).accountDeleteRequests);
      expect(first.items[0]?.status).toBe("retrying");
      expect(findInDump(await dumpTables(), [person.pii.vatId]).length).toBeGreaterThan(0);
      completed((await runner.runOnce({ now: at(HOUR) })).accountDeleteRequests);
      expect((await repositories.ops.getAccountDeleteRequest(request.id))?.status).toBe(
        "completed",
      );
      expect(findInDump(await dumpTables(), piiValues(person.pii))).toEqual([]);
    },

    "an erasure step error that quotes the person is never stored, and completion clears lastError":
      async ({ repositories, dumpTables }) => {
        const person = await seedPerson(repositories);
        const request = await queueErasure(repositories, person);
        const instrumented = instrumentRepositories(repositories);
        const quoting = `duplicate key (email)=(${person.pii.email}) of ${person.pii.name}`;
        instrumented.failOnce({
          port: "ops",
          method: "redactWorkflowsForAccountDelete",
          error: new Error(quoting),
        });
        const { runner } = createTestRunner(instrumented.repositories);
        const first = completed((await runner.runOnce({ now: T0 })).accountDeleteRequests);
        // The caller gets the message; the store gets the step and the kind of error only.
        expect(first.items[0]).toMatchObject({ status: "retrying", error: quoting });
        const interrupted = await repositories.ops.getAccountDeleteRequest(request.id);
        expect(interrupted?.lastError).toContain("workflowsRedacted");
        expect(findInDump({ request: [{ ...interrupted }] }, piiValues(person.pii))).toEqual([]);
        completed((await runner.runOnce({ now: at(HOUR) })).accountDeleteRequests);
        const done = await repositories.ops.getAccountDeleteRequest(request.id);
        expect(done).toMatchObject({ status: "completed", lastError: null, errorCount: 1 });
        expect(findInDump(await dumpTables(), piiValues(person.pii))).toEqual([]);
      },

    "a provider error that quotes the recipient is scrubbed with the email": async ({
      repositories,
      dumpTables,
    }) => {
      const person = await seedPerson(repositories);
      await seedFailedEmail(
        repositories.ops,
        { to: person.pii.email, subject: "Receipt", customerId: person.customerId },
        {
          now: at(-HOUR),
          nextAttemptAt: at(HOUR),
          error: `550 5.1.1 <${person.pii.email}>: Recipient address rejected`,
        },
      );
      await queueErasure(repositories, person);
      const { runner } = createTestRunner(repositories);
      completed((await runner.runOnce({ now: T0 })).accountDeleteRequests);
      expect(findInDump(await dumpTables(), [person.pii.email])).toEqual([]);
    },
  },
);
