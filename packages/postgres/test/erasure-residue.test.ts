import { createMikaMaintenanceRunner, type MikaRepositories } from "@mika-maintenance/core";
import { afterAll, expect, it } from "vitest";
import { openTestDatabase } from "./support/test-database.ts";

const database = await openTestDatabase("residue");
afterAll(() => database.dispose());

const EMAIL = "ada.residue@mail.example";
const NAME = "Ada Residue Lovelace";
const COMPANY = "Residue Engines Ltd";
const VAT = "GB999888777";
const PII = [EMAIL, NAME, COMPANY, VAT];
const T0 = "2026-06-21T10:00:00.000Z";
const EARLIER = "2026-06-21T09:00:00.000Z";
const LATER = "2026-06-21T11:00:00.000Z";

/**
 * Seeds the places the issue found residue in (workflow input, webhook raw and normalized
 * payloads, an ACP session payload), queues the erasure, fails one step with an error quoting
 * the email, then lets it complete. Only the public API of before the fix is used, so this
 * also shows the residue on the old code.
 */
/** Every `table.column` cell (per row) whose value, as text, holds one of `values`. */
function cellsHolding(dump: Record<string, Record<string, unknown>[]>, values: string[]): string[] {
  const cells: string[] = [];
  for (const [table, rows] of Object.entries(dump)) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const text = (
          typeof value === "string" ? value : (JSON.stringify(value) ?? "")
        ).toLowerCase();
        if (values.some((needle) => text.includes(needle.toLowerCase())))
          cells.push(`${table}.${column}`);
      }
    }
  }
  return cells;
}

async function eraseWithResidueCandidates(adapter: MikaRepositories) {
  const subject = { customerId: "cus-r" };
  await adapter.account.upsertCustomer({
    id: "cus-r",
    email: EMAIL,
    emailHash: "h-r",
    name: NAME,
    company: COMPANY,
    vatId: VAT,
    now: EARLIER,
  });
  await adapter.ops.enqueueWorkflow({
    id: "wf-r",
    name: "order.fulfil",
    input: { email: EMAIL, name: NAME, company: COMPANY, vatId: VAT },
    ...subject,
    now: EARLIER,
  } as Parameters<MikaRepositories["ops"]["enqueueWorkflow"]>[0]);
  await adapter.ops.recordWebhookEvent({
    id: "wh-r",
    provider: "stripe",
    eventType: "checkout.session.completed",
    externalId: "evt-r",
    rawPayload: JSON.stringify({ email: EMAIL, name: NAME }),
    normalizedPayload: { company: COMPANY, vatId: VAT },
    ...subject,
    receivedAt: EARLIER,
  } as Parameters<MikaRepositories["ops"]["recordWebhookEvent"]>[0]);
  await adapter.acpSessions.createSession?.({
    id: "acp-r",
    payload: { buyer: { email: EMAIL, name: NAME } },
    ttlMs: 86_400_000,
    ...subject,
    now: EARLIER,
  } as Parameters<NonNullable<MikaRepositories["acpSessions"]["createSession"]>>[0]);
  await adapter.ops.queueAccountDeleteRequest({ id: "adr-r", ...subject, now: EARLIER });

  // A driver error that echoes the row it choked on, once.
  let thrown = false;
  const ledger = {
    ...adapter.ledger,
    anonymizeOrdersForAccountDelete: (
      input: Parameters<MikaRepositories["ledger"]["anonymizeOrdersForAccountDelete"]>[0],
    ) => {
      if (!thrown) {
        thrown = true;
        return Promise.reject(new Error(`duplicate key (email)=(${EMAIL}) for ${NAME}`));
      }
      return adapter.ledger.anonymizeOrdersForAccountDelete(input);
    },
  };
  const runner = createMikaMaintenanceRunner({ repositories: { ...adapter, ledger } });
  await runner.runOnce({ now: T0 });
  const stored = await adapter.ops.getAccountDeleteRequest("adr-r");
  expect(stored?.status).toBe("queued");
  expect(stored?.lastError ?? "").not.toContain(EMAIL);
  await runner.runOnce({ now: LATER });
  expect((await adapter.ops.getAccountDeleteRequest("adr-r"))?.status).toBe("completed");
}

it("Postgres: after an erasure no table holds the person's data (workflows, webhooks, ACP, last_error)", async () => {
  const adapter = database.createAdapter();
  try {
    await adapter.migrate();
    await eraseWithResidueCandidates(adapter);
    expect(cellsHolding(await database.dumpTables(), PII)).toEqual([]);
  } finally {
    await adapter.close();
  }
});
