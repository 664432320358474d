import { createMikaEmailOutboxRunner } from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, DAY, MINUTE, SECOND, T0 } from "../support/clock.ts";
import { createCountingSender } from "../support/counting-sender.ts";
import { uniqueId } from "../support/ids.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { enqueueTestEmail } from "../support/seed-emails.ts";

/** The email outbox drained through the public runners against the adapter's outbox port. */
export const emailOutboxRunnerGroup = defineConformanceGroup(
  "emailOutboxRunner",
  "sending, backoff, terminal failure, prepare, claims and lost leases through the runners",
  {
    "the maintenance runner sends a due email once with its id as idempotency key": async ({
      repositories,
    }) => {
      const email = await enqueueTestEmail(repositories.ops, { metadata: { orderId: "o-1" } });
      const { runner, sender } = createTestRunner(repositories);
      const run = await runner.runOnce({ now: T0 });
      const outbox = completed(run.emailOutbox);
      expect(outbox).toMatchObject({ scanned: 1, leased: 1, sent: 1, failed: 0, hasMore: false });
      expect(outbox.items).toEqual([
        expect.objectContaining({ emailId: email.id, status: "sent", attemptCount: 1 }),
      ]);
      expect(sender.sent).toEqual([
        {
          emailId: email.id,
          idempotencyKey: email.id,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          metadata: { orderId: "o-1" },
        },
      ]);
      expect(await repositories.ops.getEmail(email.id)).toMatchObject({
        status: "sent",
        sentAt: T0,
        attemptCount: 1,
        providerMessageId: `provider-${email.id}`,
        leaseKey: null,
        leaseExpiresAt: null,
      });
      const again = completed((await runner.runOnce({ now: at(DAY) })).emailOutbox);
      expect(again.scanned).toBe(0);
      expect(sender.sent).toHaveLength(1);
    },

    "a failed send backs off (60 s, then 120 s) and is not retried before nextAttemptAt": async ({
      repositories,
    }) => {
      const email = await enqueueTestEmail(repositories.ops);
      const sender = createCountingSender({
        beforeAccept: () => {
          throw new Error("SMTP 451 mailbox busy");
        },
      });
      const { runner } = createTestRunner(repositories, { sender });
      const first = completed((await runner.runOnce({ now: T0 })).emailOutbox);
      expect(first.items).toEqual([
        expect.objectContaining({
          emailId: email.id,
          status: "failed",
          attemptCount: 1,
          error: "SMTP 451 mailbox busy",
          terminal: false,
          nextAttemptAt: at(MINUTE),
        }),
      ]);
      expect(await repositories.ops.getEmail(email.id)).toMatchObject({
        status: "failed",
        attemptCount: 1,
        lastError: "SMTP 451 mailbox busy",
        nextAttemptAt: at(MINUTE),
        leaseKey: null,
      });
      const early = completed((await runner.runOnce({ now: at(MINUTE - 1) })).emailOutbox);
      expect(early.scanned).toBe(0);
      const second = completed((await runner.runOnce({ now: at(MINUTE) })).emailOutbox);
      expect(second.items).toEqual([
        expect.objectContaining({
          status: "failed",
          attemptCount: 2,
          nextAttemptAt: at(MINUTE + 2 * MINUTE),
        }),
      ]);
      expect(sender.attempts).toHaveLength(2);
      expect(sender.sent).toHaveLength(0);
    },

    "the last allowed attempt fails terminally and the email is never due again": async ({
      repositories,
    }) => {
      const email = await enqueueTestEmail(repositories.ops, { maxAttempts: 2 });
      const sender = createCountingSender({
        beforeAccept: () => {
          throw new Error("550 mailbox unavailable");
        },
      });
      const { runner } = createTestRunner(repositories, { sender, retryDelayMs: () => SECOND });
      completed((await runner.runOnce({ now: T0 })).emailOutbox);
      const last = completed((await runner.runOnce({ now: at(SECOND) })).emailOutbox);
      expect(last.items).toEqual([
        expect.objectContaining({
          emailId: email.id,
          status: "failed",
          attemptCount: 2,
          terminal: true,
          nextAttemptAt: null,
        }),
      ]);
      expect(await repositories.ops.getEmail(email.id)).toMatchObject({
        status: "failed",
        attemptCount: 2,
        nextAttemptAt: null,
        lastError: "550 mailbox unavailable",
      });
      expect(await repositories.ops.listDueEmails({ now: at(30 * DAY), limit: 10 })).toEqual([]);
      const later = completed((await runner.runOnce({ now: at(30 * DAY) })).emailOutbox);
      expect(later.scanned).toBe(0);
      expect(sender.attempts).toHaveLength(2);
    },

    "prepare may skip an email: skipped with its reason, never sent": async ({ repositories }) => {
      const skipped = await enqueueTestEmail(repositories.ops, { now: at(-2) });
      const kept = await enqueueTestEmail(repositories.ops, { now: at(-1) });
      const { runner, sender } = createTestRunner(repositories, {
        prepare: (email) =>
          email.id === skipped.id
            ? { skip: "recipient unsubscribed" }
            : {
                to: "rewritten@example.test",
                subject: `[shop] ${email.subject}`,
                text: "rendered text",
                html: null,
                metadata: {},
              },
      });
      const outbox = completed((await runner.runOnce({ now: T0 })).emailOutbox);
      expect(outbox).toMatchObject({ scanned: 2, sent: 1, skipped: 1 });
      expect(await repositories.ops.getEmail(skipped.id)).toMatchObject({
        status: "skipped",
        skipReason: "recipient unsubscribed",
        leaseKey: null,
        sentAt: null,
      });
      expect(sender.sent).toEqual([
        {
          emailId: kept.id,
          idempotencyKey: kept.id,
          to: "rewritten@example.test",
          subject: `[shop] ${kept.subject}`,
          text: "rendered text",
          html: null,
          metadata: {},
        },
      ]);
      const again = completed((await runner.runOnce({ now: at(DAY) })).emailOutbox);
      expect(again.scanned).toBe(0);
    },

    "a prepare that throws fails the attempt with backoff like a send error": async ({
      repositories,
    }) => {
      const email = await enqueueTestEmail(repositories.ops);
      const { runner, sender } = createTestRunner(repositories, {
        prepare: () => {
          throw new Error("template missing");
        },
      });
      const outbox = completed((await runner.runOnce({ now: T0 })).emailOutbox);
      expect(outbox.items).toEqual([
        expect.objectContaining({ emailId: email.id, status: "failed", nextAttemptAt: at(MINUTE) }),
      ]);
      expect(await repositories.ops.getEmail(email.id)).toMatchObject({
        status: "failed",
        lastError: "template missing",
      });
      expect(sender.attempts).toHaveLength(0);
    },

    "an email another worker claimed first is neither sent nor missed: the claim skips it": async ({
      repositories,
    }) => {
      const email = await enqueueTestEmail(repositories.ops);
      const rivalKey = uniqueId("claim");
      const ops = new Proxy(repositories.ops, {
        get(target, property, receiver) {
          if (property !== "claimDueEmails") return Reflect.get(target, property, receiver);
          return async (input: Parameters<typeof target.claimDueEmails>[0]) => {
            const rival = await target.claimDueEmails({ ...input, leaseKey: rivalKey });
            expect(rival.emails.map((row) => row.id)).toEqual([email.id]);
            return target.claimDueEmails(input);
          };
        },
      });
      const sender = createCountingSender();
      const runner = createMikaEmailOutboxRunner({ repositories: { ops }, sender: sender.sender });
      const result = await runner.runOnce({ now: T0 });
      expect(result).toMatchObject({
        scanned: 0,
        leased: 0,
        leaseMissed: 0,
        sent: 0,
        hasMore: false,
      });
      expect(sender.attempts).toHaveLength(0);
      expect(await repositories.ops.getEmail(email.id)).toMatchObject({
        status: "queued",
        leaseKey: `${rivalKey}:${email.id}`,
        attemptCount: 1,
      });
    },

    "a lease lost mid-send to another runner: the late runner records a recovered send, same key":
      async ({ repositories }) => {
        const email = await enqueueTestEmail(repositories.ops);
        const takeoverAt = at(2 * MINUTE);
        const rival = createTestRunner(repositories, { leaseMs: MINUTE });
        let rivalRun: Awaited<ReturnType<typeof rival.runner.runOnce>> | undefined;
        const slowSender = createCountingSender({
          // While this send is in flight the lease expires and another runner takes the email.
          beforeAccept: async () => {
            rivalRun = await rival.runner.runOnce({ now: takeoverAt });
          },
        });
        const slow = createTestRunner(repositories, { leaseMs: MINUTE, sender: slowSender });
        const slowRun = await slow.runner.runOnce({ now: T0 });

        expect(completed(rivalRun!.emailOutbox).items).toEqual([
          expect.objectContaining({ emailId: email.id, status: "sent", attemptCount: 2 }),
        ]);
        const slowItems = completed(slowRun.emailOutbox).items;
        expect(slowItems).toHaveLength(1);
        expect([slowItems[0]?.status, slowItems[0]?.recoveredLeaseLost]).toEqual(["sent", true]);
        const keys = [...slowSender.sent, ...rival.sender.sent].map((m) => m.idempotencyKey);
        expect(keys).toEqual([email.id, email.id]);
        expect(await repositories.ops.getEmail(email.id)).toMatchObject({
          status: "sent",
          sentAt: takeoverAt,
          attemptCount: 2,
        });
      },

    "a lease lost mid-send when the send then fails: lease_lost, the new holder's outcome stays":
      async ({ repositories }) => {
        const email = await enqueueTestEmail(repositories.ops);
        const rival = createTestRunner(repositories, { leaseMs: MINUTE });
        const failingSender = createCountingSender({
          beforeAccept: async () => {
            await rival.runner.runOnce({ now: at(2 * MINUTE) });
            throw new Error("connection reset");
          },
        });
        const slow = createTestRunner(repositories, { leaseMs: MINUTE, sender: failingSender });
        const items = completed((await slow.runner.runOnce({ now: T0 })).emailOutbox).items;
        expect(items).toEqual([
          expect.objectContaining({ emailId: email.id, status: "lease_lost" }),
        ]);
        expect(await repositories.ops.getEmail(email.id)).toMatchObject({
          status: "sent",
          sentAt: at(2 * MINUTE),
          lastError: null,
          nextAttemptAt: null,
        });
        expect(rival.sender.countFor(email.id)).toBe(1);
      },

    "an email with a future nextAttemptAt waits until it is due": async ({ repositories }) => {
      const email = await enqueueTestEmail(repositories.ops, { nextAttemptAt: at(10 * MINUTE) });
      const { runner, sender } = createTestRunner(repositories);
      completed((await runner.runOnce({ now: at(10 * MINUTE - 1) })).emailOutbox);
      expect(sender.sent).toHaveLength(0);
      completed((await runner.runOnce({ now: at(10 * MINUTE) })).emailOutbox);
      expect(sender.sent.map((message) => message.emailId)).toEqual([email.id]);
    },
  },
);
