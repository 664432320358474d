import type { MikaMaintenanceRunner, MikaRepositories } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, T0 } from "../support/clock.ts";
import { type CountingSender, createCountingSender } from "../support/counting-sender.ts";
import { uniqueId } from "../support/ids.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { enqueueTestEmail } from "../support/seed-emails.ts";

const RUNNERS = 4;
const EMAILS = 240;
const MAX_PASSES = 500;

/** Runs the outbox task until a pass finds nothing due; returns how many it sent. */
async function drain(runner: MikaMaintenanceRunner, now: string): Promise<number> {
  let sent = 0;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const outbox = completed((await runner.runOnce({ now, emailLimit: 25 })).emailOutbox);
    sent += outbox.sent;
    if (outbox.scanned === 0) return sent;
  }
  throw new Error(`The outbox did not drain within ${MAX_PASSES} passes.`);
}

async function seedEmails(repositories: MikaRepositories, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const email = await enqueueTestEmail(repositories.ops, { now: at(-count + index) });
    ids.push(email.id);
  }
  return ids;
}

function runnersOn(connections: MikaRepositories[], sender: CountingSender) {
  return connections.map((repositories) => createTestRunner(repositories, { sender }).runner);
}

/** Several runners draining one outbox at once, each on its own connection when possible. */
export const outboxConcurrencyGroup = defineConformanceGroup(
  "outboxConcurrency",
  "4 runners draining one outbox at once never send an email twice",
  {
    [`${RUNNERS} runners drain ${EMAILS} emails at once and each is sent exactly once`]: {
      timeoutMs: 120_000,
      run: async ({ repositories, connections }) => {
        const ids = await seedEmails(repositories, EMAILS);
        const sender = createCountingSender({ yieldDuringSend: true });
        const runners = runnersOn(await connections(RUNNERS), sender);
        const sentPerRunner = await Promise.all(runners.map((runner) => drain(runner, T0)));

        expect(sentPerRunner.reduce((a, b) => a + b, 0)).toBe(EMAILS);
        expect(sender.sent).toHaveLength(EMAILS);
        const duplicates = ids.filter((id) => sender.countFor(id) !== 1);
        expect(duplicates).toEqual([]);
        for (const message of sender.sent) expect(message.idempotencyKey).toBe(message.emailId);
        const rows = await Promise.all(ids.map((id) => repositories.ops.getEmail(id)));
        expect(rows.filter((row) => row?.status !== "sent" || row.attemptCount !== 1)).toEqual([]);
        expect(await repositories.ops.describeEmailBacklog({ now: T0 })).toEqual({
          count: 0,
          oldestAt: null,
        });
      },
    },

    [`${RUNNERS} runners with failing sends retry each email until it is accepted exactly once`]: {
      timeoutMs: 120_000,
      run: async ({ repositories, connections }) => {
        const ids = await seedEmails(repositories, 80);
        const flaky = new Set(ids.filter((_, index) => index % 4 === 0));
        const rejectedOnce = new Set<string>();
        const sender = createCountingSender({
          yieldDuringSend: true,
          beforeAccept: (message) => {
            if (flaky.has(message.emailId) && !rejectedOnce.has(message.emailId)) {
              rejectedOnce.add(message.emailId);
              throw new Error("421 try again later");
            }
          },
        });
        const runners = runnersOn(await connections(RUNNERS), sender);
        await Promise.all(runners.map((runner) => drain(runner, T0)));
        expect(sender.sent).toHaveLength(ids.length - flaky.size);
        await Promise.all(runners.map((runner) => drain(runner, at(2 * MINUTE))));

        expect(ids.filter((id) => sender.countFor(id) !== 1)).toEqual([]);
        const rows = await Promise.all(ids.map((id) => repositories.ops.getEmail(id)));
        for (const row of rows) {
          expect(row?.status).toBe("sent");
          expect(row?.attemptCount).toBe(flaky.has(row!.id) ? 2 : 1);
        }
      },
    },

    [`${RUNNERS} connections racing to lease the same email: exactly one wins`]: {
      timeoutMs: 60_000,
      run: async ({ repositories, connections }) => {
        const ids = await seedEmails(repositories, 20);
        const racers = await connections(RUNNERS);
        for (const emailId of ids) {
          const leases = await Promise.all(
            racers.map((racer) =>
              racer.ops.tryLeaseEmail({
                emailId,
                leaseKey: uniqueId("lease"),
                now: T0,
                leaseExpiresAt: at(MINUTE),
              }),
            ),
          );
          const winners = leases.filter((lease) => lease !== null);
          expect(winners).toHaveLength(1);
          const stored = await repositories.ops.getEmail(emailId);
          expect(stored).toMatchObject({ attemptCount: 1, leaseKey: winners[0]!.leaseKey });
        }
      },
    },
  },
);
