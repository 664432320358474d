import { createClient } from "@libsql/client";
import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaOutgoingEmail,
} from "@mika-maintenance/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlRepositories } from "../src/index.ts";

// Issue 17 item 2, as found: one bad row made emailOutbox or accountDeleteRequests fail on
// every pass and no good row moved. Written against the public API only, so it runs (and
// fails) on the code from before the fix too.
const T0 = "2026-06-21T10:00:00.000Z";
const EARLIER = "2026-06-21T09:00:00.000Z";
const GOOD = 10;

const clients: ReturnType<typeof createClient>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function open() {
  const client = createClient({ url: ":memory:" });
  clients.push(client);
  const adapter = createLibsqlRepositories({ client });
  await adapter.migrate();
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
  return { client, adapter, runner, sent };
}

describe("libSQL: one malformed row fails one item, never the task", () => {
  it.each([
    ["metadata", `'{"unclosed": '`],
    ["metadata", `'"a JSON string"'`],
    ["created_at", "8640000000000001"],
    ["created_at", "-9e999"],
  ])("email_outbox.%s = %s: the other 10 emails are sent", async (column, value) => {
    const { client, adapter, runner, sent } = await open();
    await adapter.ops.enqueueEmail({ id: "bad", to: "a@x.test", subject: "s", now: EARLIER });
    for (let index = 0; index < GOOD; index += 1) {
      await adapter.ops.enqueueEmail({
        id: `good-${index}`,
        to: "b@x.test",
        subject: "s",
        now: T0,
      });
    }
    await client.execute(`update mika_email_outbox set ${column} = ${value} where id = 'bad'`);

    const first = await runner.runOnce({ now: T0 });
    expect(first.emailOutbox.status).toBe("completed");
    expect(sent).toHaveLength(GOOD);
    const again = await runner.runOnce({ now: T0 });
    expect(again.emailOutbox).toMatchObject({ status: "completed", result: { scanned: 0 } });
  });

  it.each([
    ["steps", `'{"unclosed": '`],
    ["steps", `'"a JSON string"'`],
    ["requested_at", "8640000000000001"],
    ["requested_at", "-9e999"],
  ])("account_delete_requests.%s = %s: the other 10 requests complete", async (column, value) => {
    const { client, adapter, runner } = await open();
    await adapter.ops.queueAccountDeleteRequest({ id: "bad", customerId: "c-bad", now: EARLIER });
    for (let index = 0; index < GOOD; index += 1) {
      await adapter.ops.queueAccountDeleteRequest({
        id: `good-${index}`,
        customerId: `c${index}`,
        now: T0,
      });
    }
    await client.execute(
      `update mika_account_delete_requests set ${column} = ${value} where id = 'bad'`,
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
