import {
  createManualScheduler,
  createMikaEmailOutboxRunner,
  type MikaEmailOutboxPort,
  type MikaRepositories,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, MINUTE, T0 } from "../support/clock.ts";
import { createCountingSender } from "../support/counting-sender.ts";
import { enqueueTestEmail } from "../support/seed-emails.ts";

async function seedDue(repositories: MikaRepositories, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push((await enqueueTestEmail(repositories.ops, { now: at(-count + index) })).id);
  }
  return ids;
}

/** Lets other work run for `turns` turns of the event loop: a slow send, without a clock. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Counts `claimDueEmails` calls, to prove when claiming stopped. */
function countingClaims(ops: MikaEmailOutboxPort) {
  const counter = { claims: 0 };
  const wrapped = new Proxy(ops, {
    get(target, property, receiver) {
      if (property !== "claimDueEmails") return Reflect.get(target, property, receiver);
      return (input: Parameters<MikaEmailOutboxPort["claimDueEmails"]>[0]) => {
        counter.claims += 1;
        return target.claimDueEmails(input);
      };
    },
  });
  return { ops: wrapped, counter };
}

/** The runner with `concurrency` sends in flight, an abort, and a rate cap. */
export const outboxSendsInFlightGroup = defineConformanceGroup(
  "outboxSendsInFlight",
  "sends run concurrently, each email is accepted once, abort stops claiming, the rate cap holds",
  {
    "2 runners at concurrency 4 with slow and failing sends: at most 4 in flight each, every email accepted once, attempts counted":
      {
        timeoutMs: 120_000,
        run: async ({ repositories, connections }) => {
          const ids = await seedDue(repositories, 60);
          const flaky = new Set(ids.filter((_, index) => index % 4 === 1));
          const rejected = new Set<string>();
          let inFlight = 0;
          let maxInFlight = 0;
          const sender = createCountingSender({
            beforeAccept: async (message) => {
              inFlight += 1;
              maxInFlight = Math.max(maxInFlight, inFlight);
              try {
                // Sends take different times, so they finish out of claim order.
                await turns(1 + (ids.indexOf(message.emailId) % 5) * 3);
                if (flaky.has(message.emailId) && !rejected.has(message.emailId)) {
                  rejected.add(message.emailId);
                  throw new Error("421 try again later");
                }
              } finally {
                inFlight -= 1;
              }
            },
          });
          const runners = (await connections(2)).map((connection) =>
            createMikaEmailOutboxRunner({
              repositories: { ops: connection.ops },
              sender: sender.sender,
              concurrency: 4,
            }),
          );
          const first = await Promise.all(
            runners.map((runner) => runner.runOnce({ now: T0, limit: 100 })),
          );
          expect(maxInFlight).toBeGreaterThan(1);
          expect(maxInFlight).toBeLessThanOrEqual(8);
          expect(first.reduce((sum, run) => sum + run.sent, 0)).toBe(ids.length - flaky.size);
          expect(first.reduce((sum, run) => sum + run.failed, 0)).toBe(flaky.size);
          for (const run of first) {
            for (const item of run.items.filter((entry) => entry.status === "failed")) {
              expect(item).toMatchObject({
                attemptCount: 1,
                terminal: false,
                nextAttemptAt: at(MINUTE),
              });
            }
          }
          const second = await Promise.all(
            runners.map((runner) => runner.runOnce({ now: at(2 * MINUTE), limit: 100 })),
          );
          expect(second.reduce((sum, run) => sum + run.sent, 0)).toBe(flaky.size);

          expect(ids.filter((id) => sender.countFor(id) !== 1)).toEqual([]);
          const rows = await Promise.all(ids.map((id) => repositories.ops.getEmail(id)));
          for (const row of rows) {
            expect(row).toMatchObject({ status: "sent", leaseKey: null });
            expect(row?.attemptCount).toBe(flaky.has(row!.id) ? 2 : 1);
          }
        },
      },

    "one runner at concurrency 4 keeps 4 sends in flight and never more": async ({
      repositories,
    }) => {
      await seedDue(repositories, 24);
      let inFlight = 0;
      let maxInFlight = 0;
      const sender = createCountingSender({
        beforeAccept: async () => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await turns(20);
          inFlight -= 1;
        },
      });
      const runner = createMikaEmailOutboxRunner({
        repositories: { ops: repositories.ops },
        sender: sender.sender,
        concurrency: 4,
      });
      const result = await runner.runOnce({ now: T0, limit: 24 });
      expect(result).toMatchObject({ scanned: 24, sent: 24, hasMore: false });
      expect(maxInFlight).toBe(4);
    },

    "abort mid-drain: no claim after the abort, sends in flight finish, unsent claims are released":
      {
        timeoutMs: 60_000,
        run: async ({ repositories }) => {
          const ids = await seedDue(repositories, 40);
          const controller = new AbortController();
          const { ops, counter } = countingClaims(repositories.ops);
          let claimsAtAbort = -1;
          const sender = createCountingSender({
            beforeAccept: async () => {
              await turns(2);
              if (!controller.signal.aborted && sender.sent.length >= 5) {
                claimsAtAbort = counter.claims;
                controller.abort();
              }
            },
          });
          const runner = createMikaEmailOutboxRunner({
            repositories: { ops },
            sender: sender.sender,
            concurrency: 3,
          });
          const result = await runner.runOnce({ now: T0, limit: 100, signal: controller.signal });

          expect(counter.claims).toBe(claimsAtAbort);
          expect(result.hasMore).toBe(true);
          expect(result.sent).toBe(sender.sent.length);
          expect(result.items.every((item) => item.status === "sent")).toBe(true);
          const rows = await Promise.all(ids.map((id) => repositories.ops.getEmail(id)));
          const sent = rows.filter((row) => row?.status === "sent");
          expect(sent.map((row) => row!.id).sort()).toEqual(
            sender.sent.map((m) => m.emailId).sort(),
          );
          // Nothing stays leased: what was claimed but never handed over got its attempt back.
          for (const row of rows.filter((entry) => entry?.status !== "sent")) {
            expect(row).toMatchObject({ status: "queued", attemptCount: 0, leaseKey: null });
          }
          const rest = await runner.runOnce({ now: T0, limit: 100 });
          expect(rest.sent + result.sent).toBe(ids.length);
          expect(ids.filter((id) => sender.countFor(id) !== 1)).toEqual([]);
        },
      },

    "maxPerSecond paces send starts on the injected clock": {
      timeoutMs: 60_000,
      run: async ({ repositories }) => {
        await seedDue(repositories, 6);
        const scheduler = createManualScheduler({ start: T0 });
        const startedAt: number[] = [];
        const sender = createCountingSender({
          beforeAccept: () => {
            startedAt.push(scheduler.now());
          },
        });
        const runner = createMikaEmailOutboxRunner({
          repositories: { ops: repositories.ops },
          sender: sender.sender,
          concurrency: 4,
          maxPerSecond: 10,
          scheduler,
        });
        let done = false;
        const run = runner.runOnce({ now: T0, limit: 6 }).finally(() => {
          done = true;
        });
        for (let step = 0; step < 100 && !done; step += 1) {
          // Let store calls finish (no time passes), then move the clock by one send slot.
          for (let turn = 0; turn < 200 && !done && scheduler.pending === 0; turn += 1) {
            await new Promise<void>((resolve) => setTimeout(resolve, 1));
          }
          await scheduler.advance(100);
        }
        const result = await run;
        expect(result.sent).toBe(6);
        const start = Date.parse(T0);
        expect(startedAt.map((time) => time - start)).toEqual([0, 100, 200, 300, 400, 500]);
      },
    },
  },
);
