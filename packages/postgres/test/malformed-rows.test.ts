import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaOutgoingEmail,
} from "@mika-maintenance/core";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "./support/test-database.ts";

// Issue 17 item 2, as found: one bad row made emailOutbox or accountDeleteRequests fail on
// every pass and no good row moved (a jsonb string was JSON.parsed a second time; -infinity
// and years past 275760 are no JavaScript Date). Public API only, so it also runs on the code
// from before the fix.
const T0 = "2026-06-21T10:00:00.000Z";
const EARLIER = "2026-06-21T09:00:00.000Z";
const GOOD = 10;

const database = await openTestDatabase("malformed");
const adapter = database.createAdapter();
beforeAll(() => adapter.migrate());
afterEach(() => database.truncateAll());
afterAll(async () => {
  await adapter.close();
  await database.dispose();
});

function wire() {
  const sent: MikaOutgoingEmail[] = [];
  const runner = createMikaMaintenanceRunner({
    repositories: adapter,
    emailOutboxRunner: createMikaEmailOutboxRunner({
      repositories: adapter,
      sender: async (message) => {
        sent.push(message);
      },
    }),
  });
  return { runner, sent };
}

describe("Postgres: one malformed row fails one item, never the task", () => {
  it.each([
    ["metadata", `'"a JSON string"'::jsonb`],
    ["metadata", `'"{\\"looks\\": \\"like an object\\"}"'::jsonb`],
    ["created_at", `'-infinity'::timestamptz`],
    ["created_at", `'275761-01-01T00:00:00Z'::timestamptz`],
  ])("email_outbox.%s = %s: the other 10 emails are sent", async (column, value) => {
    const { runner, sent } = wire();
    await adapter.ops.enqueueEmail({ id: "bad", to: "a@x.test", subject: "s", now: EARLIER });
    for (let index = 0; index < GOOD; index += 1) {
      await adapter.ops.enqueueEmail({
        id: `good-${index}`,
        to: "b@x.test",
        subject: "s",
        now: T0,
      });
    }
    await sql`update ${database.table("email_outbox")} set ${sql.ref(column)} = ${sql.raw(value)} where id = 'bad'`.execute(
      database.admin,
    );

    const first = await runner.runOnce({ now: T0 });
    expect(first.emailOutbox.status).toBe("completed");
    expect(sent).toHaveLength(GOOD);
    const again = await runner.runOnce({ now: T0 });
    expect(again.emailOutbox).toMatchObject({ status: "completed", result: { scanned: 0 } });
  });

  it.each([
    ["steps", `'"a JSON string"'::jsonb`],
    ["steps", `'[1, 2]'::jsonb`],
    ["requested_at", `'-infinity'::timestamptz`],
    ["requested_at", `'275761-01-01T00:00:00Z'::timestamptz`],
  ])("account_delete_requests.%s = %s: the other 10 requests complete", async (column, value) => {
    const { runner } = wire();
    await adapter.ops.queueAccountDeleteRequest({ id: "bad", customerId: "c-bad", now: EARLIER });
    for (let index = 0; index < GOOD; index += 1) {
      await adapter.ops.queueAccountDeleteRequest({
        id: `good-${index}`,
        customerId: `c${index}`,
        now: T0,
      });
    }
    await sql`update ${database.table("account_delete_requests")} set ${sql.ref(column)} = ${sql.raw(value)} where id = 'bad'`.execute(
      database.admin,
    );

    const first = await runner.runOnce({ now: T0 });
    expect(first.accountDeleteRequests.status).toBe("completed");
    for (let index = 0; index < GOOD; index += 1) {
      expect((await adapter.ops.getAccountDeleteRequest(`good-${index}`))?.status).toBe(
        "completed",
      );
    }
    const again = await runner.runOnce({ now: T0 });
    expect(again.accountDeleteRequests).toMatchObject({
      status: "completed",
      result: { scanned: 0 },
    });
  });
});
