import { type MikaRepositories, MikaUnreadableRowError } from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { defineConformanceGroup, type MikaConformanceGroupDefinition } from "../define-group.ts";
import { at, DAY, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { enqueueTestEmail } from "../support/seed-emails.ts";
import { seedExhaustedEmail, seedExhaustedWorkflow } from "../support/seed-exhausted.ts";
import { seedReservation, seedStockItem } from "../support/seed-stock.ts";
import type { MikaMalformedTable, MikaMalformedValueKind } from "../types.ts";

type ValueFamily = "json" | "time";

/** Writes the group's malformed value into one field of one row; returns the names errors use. */
type Corrupt = (
  table: MikaMalformedTable,
  rowId: string,
  field: string,
) => Promise<{ table: string; column: string }>;

interface TaskCase {
  /** The record field corrupted for a JSON kind, or `null` when the table has no JSON field. */
  jsonField: string | null;
  timeField: string;
  run(context: MikaConformanceContext, corrupt: Corrupt, field: string): Promise<void>;
}

const GOOD_ROWS = 10;

function writerFor(context: MikaConformanceContext, kind: MikaMalformedValueKind): Corrupt {
  const write = context.store.writeMalformedValue?.bind(context.store);
  if (!write) {
    throw new Error(
      "The malformedRows groups need the store's writeMalformedValue backdoor; provide it, or opt out of each malformedRows* group with the reason your storage cannot hold the value.",
    );
  }
  return (table, rowId, field) => write({ table, rowId, field, kind });
}

/** The stored error names table, row and column, and the problem never quotes the value. */
function expectNamed(
  error: string | null | undefined,
  names: { table: string; column: string },
  rowId: string,
) {
  expect(error).toContain(names.table);
  expect(error).toContain(rowId);
  expect(error).toContain(names.column);
}

async function expectUnreadableOnGet(read: () => Promise<unknown>, column: string) {
  const error = await read().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MikaUnreadableRowError);
  expect((error as MikaUnreadableRowError).field).toBe(column);
}

const TASK_CASES: Record<string, TaskCase> = {
  emailOutbox: {
    jsonField: "metadata",
    timeField: "createdAt",
    async run(context, corrupt, field) {
      const { repositories } = context;
      const bad = await enqueueTestEmail(repositories.ops, { now: at(-HOUR) });
      const good: string[] = [];
      for (let index = 0; index < GOOD_ROWS; index += 1) {
        good.push((await enqueueTestEmail(repositories.ops, { now: at(-MINUTE) })).id);
      }
      const names = await corrupt("emailOutbox", bad.id, field);
      const { runner, sender } = createTestRunner(repositories);

      const first = completed((await runner.runOnce({ now: T0 })).emailOutbox);
      expect(first).toMatchObject({ scanned: GOOD_ROWS + 1, sent: GOOD_ROWS, failed: 1 });
      expect(sender.sent.map((message) => message.emailId).sort()).toEqual([...good].sort());
      const item = first.items.find((entry) => entry.emailId === bad.id);
      expect(item).toMatchObject({ status: "failed", terminal: true });
      expectNamed(item?.error, names, bad.id);
      await expectUnreadableOnGet(() => repositories.ops.getEmail(bad.id), names.column);

      // Set aside: never picked again, and the queue is empty.
      const second = completed((await runner.runOnce({ now: at(DAY) })).emailOutbox);
      expect(second).toMatchObject({ scanned: 0, sent: 0, failed: 0 });
      expect(sender.sent).toHaveLength(GOOD_ROWS);
    },
  },

  accountDeleteRequests: {
    jsonField: "steps",
    timeField: "requestedAt",
    async run(context, corrupt, field) {
      const { repositories } = context;
      const queue = (now: string) =>
        repositories.ops.queueAccountDeleteRequest({ customerId: uniqueId("cus"), now });
      const bad = await queue(at(-HOUR));
      const good: string[] = [];
      for (let index = 0; index < GOOD_ROWS; index += 1) good.push((await queue(at(-MINUTE))).id);
      const names = await corrupt("accountDeleteRequests", bad.id, field);
      const { runner } = createTestRunner(repositories);

      const first = completed((await runner.runOnce({ now: T0 })).accountDeleteRequests);
      expect(first).toMatchObject({ scanned: GOOD_ROWS + 1, completed: GOOD_ROWS, failed: 1 });
      const item = first.items.find((entry) => entry.requestId === bad.id);
      expect(item?.status).toBe("failed");
      expectNamed(item?.error, names, bad.id);
      for (const id of good) {
        expect((await repositories.ops.getAccountDeleteRequest(id))?.status).toBe("completed");
      }
      await expectUnreadableOnGet(
        () => repositories.ops.getAccountDeleteRequest(bad.id),
        names.column,
      );

      const second = completed((await runner.runOnce({ now: at(HOUR) })).accountDeleteRequests);
      expect(second).toMatchObject({ scanned: 0, completed: 0, failed: 0 });
    },
  },

  stuckEmails: {
    jsonField: "metadata",
    timeField: "createdAt",
    async run({ repositories }, corrupt, field) {
      const bad = await seedExhaustedEmail(repositories.ops);
      const good = [
        await seedExhaustedEmail(repositories.ops),
        await seedExhaustedEmail(repositories.ops),
      ];
      await corrupt("emailOutbox", bad.id, field);
      const run = await createTestRunner(repositories).runner.runOnce({ now: at(MINUTE) });
      expect(completed(run.stuckEmails).reclaimed).toBeGreaterThanOrEqual(good.length);
      for (const email of good) {
        expect((await repositories.ops.getEmail(email.id))?.status).toBe("failed");
      }
    },
  },

  stuckWorkflows: {
    jsonField: "input",
    timeField: "createdAt",
    async run({ repositories }, corrupt, field) {
      const bad = await seedExhaustedWorkflow(repositories.ops);
      const good = [
        await seedExhaustedWorkflow(repositories.ops),
        await seedExhaustedWorkflow(repositories.ops),
      ];
      await corrupt("workflows", bad.id, field);
      const run = await createTestRunner(repositories).runner.runOnce({ now: at(MINUTE) });
      expect(completed(run.stuckWorkflows).reclaimed).toBeGreaterThanOrEqual(good.length);
      for (const workflow of good) {
        expect((await repositories.ops.getWorkflow(workflow.id))?.status).toBe("failed");
      }
    },
  },

  rawProviderPayloads: {
    jsonField: "normalizedPayload",
    timeField: "processedAt",
    async run({ repositories }, corrupt, field) {
      const record = () => seedProcessedEvent(repositories);
      const bad = await record();
      const good = [await record(), await record()];
      await corrupt("webhookEvents", bad, field);
      const run = await createTestRunner(repositories).runner.runOnce({ now: T0 });
      expect(completed(run.rawProviderPayloads).purged).toBeGreaterThanOrEqual(good.length);
      for (const id of good) {
        expect((await repositories.ops.getWebhookEvent(id))?.rawPayload).toBeNull();
      }
    },
  },

  acpSessions: {
    jsonField: "payload",
    timeField: "createdAt",
    async run({ repositories }, corrupt, field) {
      const store = repositories.acpSessions;
      const create = async () =>
        (await store.createSession!({ id: uniqueId("acp"), ttlMs: MINUTE, now: at(-HOUR) })).id;
      const bad = await create();
      const good = [await create(), await create()];
      await corrupt("acpSessions", bad, field);
      const run = await createTestRunner(repositories).runner.runOnce({ now: T0 });
      expect(completed(run.acpSessions).expired).toBeGreaterThanOrEqual(good.length);
      for (const id of good) expect((await store.getSession!(id))?.status).toBe("expired");
    },
  },

  stockReservations: {
    jsonField: null,
    timeField: "createdAt",
    async run({ repositories }, corrupt, field) {
      const item = await seedStockItem(repositories.stock);
      const reserve = () =>
        seedReservation(repositories.stock, {
          stockItemId: item.id,
          quantity: 1,
          expiresAt: at(-MINUTE),
        });
      const bad = await reserve();
      const good = [await reserve(), await reserve()];
      await corrupt("stockReservations", bad.id, field);
      const run = await createTestRunner(repositories).runner.runOnce({ now: T0 });
      expect(completed(run.stockReservations).reservationsReleased).toBeGreaterThanOrEqual(
        good.length,
      );
      for (const reservation of good) {
        expect((await repositories.stock.getReservation(reservation.id))?.status).toBe("expired");
      }
    },
  },

  ephemeralRecords: {
    jsonField: null,
    timeField: "createdAt",
    async run({ repositories }, corrupt, field) {
      const put = async () => {
        const key = uniqueId("nonce");
        await repositories.ephemeral.putEphemeralRecord({
          kind: "nonce",
          key,
          value: "n",
          expiresAt: at(-MINUTE),
          now: at(-HOUR),
        });
        return key;
      };
      const bad = await put();
      const good = [await put(), await put()];
      await corrupt("ephemeralRecords", bad, field);
      const run = await createTestRunner(repositories).runner.runOnce({ now: T0 });
      expect(completed(run.ephemeralRecords).purged).toBeGreaterThanOrEqual(good.length);
      for (const key of good) {
        expect(await repositories.ephemeral.deleteEphemeralRecord({ kind: "nonce", key })).toBe(
          false,
        );
      }
    },
  },
};

async function seedProcessedEvent(repositories: MikaRepositories): Promise<string> {
  const event = await repositories.ops.recordWebhookEvent({
    id: uniqueId("wh"),
    provider: "stripe",
    eventType: "invoice.paid",
    externalId: uniqueId("evt"),
    rawPayload: '{"id":"evt"}',
    receivedAt: at(-30 * DAY),
  });
  await repositories.ops.markWebhookEventProcessed({
    eventId: event.id,
    now: at(-30 * DAY),
    normalizedPayload: { kind: "payment" },
  });
  return event.id;
}

interface MalformedKind {
  group: `malformedRows${string}`;
  kind: MikaMalformedValueKind;
  family: ValueFamily;
  says: string;
}

const KINDS = [
  {
    group: "malformedRowsInvalidJson",
    kind: "invalidJson",
    family: "json",
    says: "text that is not JSON in a JSON column",
  },
  {
    group: "malformedRowsJsonNotObject",
    kind: "jsonNotObject",
    family: "json",
    says: "a JSON string where an object belongs",
  },
  {
    group: "malformedRowsTimeBeyondRange",
    kind: "timeBeyondRange",
    family: "time",
    says: "a time past JavaScript's date range",
  },
  {
    group: "malformedRowsInfiniteTime",
    kind: "infiniteTime",
    family: "time",
    says: "minus infinity in a time column",
  },
] as const satisfies readonly MalformedKind[];

function groupFor<Kind extends (typeof KINDS)[number]>(
  entry: Kind,
): MikaConformanceGroupDefinition<Kind["group"]> {
  const tests: Record<string, (context: MikaConformanceContext) => Promise<void>> = {};
  for (const [task, taskCase] of Object.entries(TASK_CASES)) {
    const field = entry.family === "json" ? taskCase.jsonField : taskCase.timeField;
    if (field === null) continue;
    const outcome =
      task === "emailOutbox" || task === "accountDeleteRequests"
        ? "fails as one item naming table, row and column, is set aside, and every other row moves"
        : "does not stop the task: every other row moves";
    tests[`${task}: ${entry.says} in ${field} ${outcome}`] = (context) =>
      taskCase.run(context, writerFor(context, entry.kind), field);
  }
  return defineConformanceGroup(
    entry.group,
    `a row holding ${entry.says} fails one item, never a task`,
    tests,
  );
}

/** One group per kind of malformed value, so an adapter opts out of a kind its storage cannot hold. */
export const malformedRowsGroups = KINDS.map(groupFor);
