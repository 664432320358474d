import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { createMemoryRepositories } from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";
const LATER = "2026-06-21T11:00:00.000Z";
const PII = ["ada@example.test", "Ada Lovelace", "Analytical Engines Ltd", "GB123456789"];

async function seedPerson() {
  const adapter = createMemoryRepositories();
  const { ops, ephemeral, stock, account, ledger } = adapter;
  const subject = { customerId: "cus1", userId: "usr1", emailHash: "h-ada" };
  await account.upsertCustomer({
    id: "cus1",
    userId: "usr1",
    email: PII[0],
    emailHash: "h-ada",
    name: PII[1],
    company: PII[2],
    vatId: PII[3],
    now: NOW,
  });
  await ops.enqueueEmail({
    id: "queued",
    to: PII[0]!,
    subject: `Hello ${PII[1]}`,
    text: `Dear ${PII[1]}`,
    metadata: { resetLink: "https://shop.example/reset?u=usr1" },
    userId: "usr1",
    now: NOW,
  });
  await ops.enqueueEmail({
    id: "sent",
    to: PII[0]!,
    subject: "Receipt",
    emailHash: "h-ada",
    now: NOW,
  });
  const lease = await ops.tryLeaseEmail({
    emailId: "sent",
    leaseKey: "k",
    now: NOW,
    leaseExpiresAt: LATER,
  });
  await ops.completeEmail({ emailId: lease!.id, leaseKey: "k", now: NOW, providerMessageId: "m1" });
  await ops.enqueueEmail({ id: "other", to: "bob@example.test", subject: "Hi Bob", now: NOW });
  await ops.createAccountExport({
    id: "x1",
    customerId: "cus1",
    artifactRef: "s3://exports/ada",
    now: NOW,
  });
  await ephemeral.putEphemeralRecord({
    kind: "token",
    key: "t1",
    subjectHash: "customer:cus1",
    expiresAt: LATER,
    now: NOW,
  });
  await ephemeral.putEphemeralRecord({
    kind: "nonce",
    key: "n1",
    subjectHash: "customer:cus1",
    expiresAt: LATER,
    now: NOW,
  });
  await stock.upsertStockItem({ id: "sku", quantityOnHand: 2, now: NOW });
  await stock.reserveStock({
    id: "r1",
    stockItemId: "sku",
    quantity: 2,
    customerId: "cus1",
    expiresAt: LATER,
    now: NOW,
  });
  await ledger.createOrder({
    id: "o1",
    ...subject,
    customerSnapshot: {
      email: PII[0],
      name: PII[1],
      company: PII[2],
      vatId: PII[3],
      country: "GB",
    },
    totalMinor: 4200,
    currency: "GBP",
    now: NOW,
  });
  await account.createEntitlement({ id: "ent1", emailHash: "h-ada", productId: "p", now: NOW });
  await account.createLicense({
    id: "lic1",
    userId: "usr1",
    keyHash: "real-key-hash",
    displaySuffix: "WXYZ",
    now: NOW,
  });
  return adapter;
}

function mentions(dump: Record<string, Record<string, unknown>[]>, needle: string): string[] {
  return Object.entries(dump).flatMap(([table, rows]) =>
    rows
      .filter((row) => JSON.stringify(row).toLowerCase().includes(needle.toLowerCase()))
      .map(() => table),
  );
}

describe("erasure over the memory adapter", () => {
  it("leaves no personal data in any table after an account delete", async () => {
    const adapter = await seedPerson();
    const request = await adapter.ops.queueAccountDeleteRequest({
      customerId: "cus1",
      userId: "usr1",
      emailHash: "h-ada",
      tokenHash: "tok",
      now: NOW,
    });
    const runner = createMikaMaintenanceRunner({ repositories: adapter });
    const run = await runner.runOnce({ now: NOW });
    expect(run.accountDeleteRequests).toMatchObject({
      status: "completed",
      result: {
        completed: 1,
        items: [
          {
            tokensDeleted: 1,
            reservationsReleased: 1,
            emailsRedacted: 2,
            accountExportsRedacted: 1,
            ordersAnonymized: 1,
            entitlementsAnonymized: 1,
            licensesAnonymized: 1,
            customerAnonymized: 1,
          },
        ],
      },
    });
    const dump = adapter.dumpTables();
    for (const needle of PII) expect(mentions(dump, needle), needle).toEqual([]);
    expect(mentions(dump, "bob@example.test")).toEqual(["emails"]);

    const { ops, stock, ledger, account, ephemeral } = adapter;
    expect(await ops.getEmail("queued")).toMatchObject({
      status: "skipped",
      to: "redacted-queued@redacted.invalid",
      subject: "[redacted]",
      text: "[redacted]",
      html: null,
      metadata: {},
      userId: null,
      emailHash: null,
      redactedAt: NOW,
      skipReason: expect.stringContaining("rased"),
    });
    expect(await ops.getEmail("sent")).toMatchObject({
      status: "sent",
      providerMessageId: "m1",
      sentAt: NOW,
    });
    expect(await stock.getStockItem("sku")).toMatchObject({ quantityReserved: 0 });
    expect(await stock.getReservation("r1")).toMatchObject({ status: "released" });
    expect(
      await ephemeral.getEphemeralRecord({ kind: "nonce", key: "n1", now: NOW }),
    ).not.toBeNull();
    expect((await ledger.getOrder("o1"))?.customerSnapshot).toEqual({ country: "GB" });
    expect(await ledger.getOrder("o1")).toMatchObject({
      totalMinor: 4200,
      emailHash: "account-deleted:cus1",
      userId: "account-deleted:cus1",
    });
    expect(await account.getLicense("lic1")).toMatchObject({
      keyHash: "account-deleted:cus1:lic1",
      displaySuffix: "redacted",
      status: "revoked",
      revokedAt: NOW,
    });
    expect(await ops.getAccountDeleteRequest(request.id)).toMatchObject({
      status: "completed",
      userId: null,
      emailHash: null,
      tokenHash: null,
    });

    // Every erasure method is idempotent: a second pass changes nothing.
    const subject = { customerId: "cus1", userId: "usr1", emailHash: "h-ada" };
    const anonymize = { ...subject, sentinel: "account-deleted:cus1", now: LATER };
    expect(await ops.redactEmailsForAccountDelete({ ...subject, now: LATER })).toBe(0);
    expect(await ops.redactAccountExportsForAccountDelete({ ...subject, now: LATER })).toBe(0);
    expect(await ledger.anonymizeOrdersForAccountDelete(anonymize)).toBe(0);
    expect(await account.anonymizeEntitlementsForAccountDelete(anonymize)).toBe(0);
    expect(await account.anonymizeLicensesForAccountDelete(anonymize)).toBe(0);
    expect(await account.anonymizeCustomerForAccountDelete(anonymize)).toBe(0);
    expect(adapter.dumpTables()).toEqual(dump);
  });

  it("matches nothing when every identity is null", async () => {
    const adapter = await seedPerson();
    const none = { customerId: null, userId: null, emailHash: null };
    expect(await adapter.ops.redactEmailsForAccountDelete({ ...none, now: NOW })).toBe(0);
    expect(
      await adapter.ledger.anonymizeOrdersForAccountDelete({ ...none, sentinel: "s", now: NOW }),
    ).toBe(0);
    await expect(adapter.ops.queueAccountDeleteRequest({ now: NOW })).rejects.toMatchObject({
      code: "MIKA_INVALID_INPUT",
    });
  });
});
