import { randomInt, randomUUID } from "node:crypto";
import type {
  MikaAccountDeleteRequestRecord,
  MikaAccountDeleteStepName,
  MikaRepositories,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { at, DAY, HOUR, MINUTE, T0 } from "./clock.ts";
import { uniqueId } from "./ids.ts";
import { enqueueTestEmail, leaseTestEmail, seedFailedEmail, seedSentEmail } from "./seed-emails.ts";

/** The personal data an erasure must remove, unique per seeded person. */
export interface PersonPii {
  email: string;
  name: string;
  company: string;
  vatId: string;
}

/** The identities of a seeded person. */
export interface SeededPerson {
  customerId: string;
  userId: string;
  emailHash: string;
  pii: PersonPii;
  stockItemId: string;
  /** Active reservations of this person and their total quantity. */
  activeReservationIds: string[];
  reservedQuantity: number;
  /** Ids of every row seeded for this person, by kind. */
  ids: {
    emails: string[];
    sentEmails: string[];
    orders: string[];
    entitlements: string[];
    licenses: string[];
    exports: string[];
    tokenKeys: string[];
    nonceKey: string;
    workflows: string[];
    webhookEvents: string[];
    acpSessions: string[];
  };
  /** What each erasure step must report for this person. */
  expectedCounts: Record<MikaAccountDeleteStepName, number>;
}

/** Unique, realistic personal data (ASCII only, so JSON columns store it verbatim). */
export function createPii(): PersonPii {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `ada.lovelace.${tag}@mail.example`,
    name: `Ada Lovelace Byron ${tag}`,
    company: `Analytical Engines ${tag} Ltd`,
    vatId: `GB${randomInt(100_000_000, 999_999_999)}${randomInt(100, 999)}`,
  };
}

/**
 * Seeds a customer with everything an erasure touches: tokens, reservations, queued, sent
 * and failed emails, exports, orders with snapshots, entitlements, licenses, ended
 * subscriptions and an abandoned cart. Nothing seeded blocks the erasure.
 */
export async function seedPerson(
  repositories: MikaRepositories,
  stockItemId: string = uniqueId("sku"),
): Promise<SeededPerson> {
  const { account, ledger, ops, ephemeral, stock, session, acpSessions } = repositories;
  const pii = createPii();
  const customerId = uniqueId("cus");
  const userId = uniqueId("usr");
  const emailHash = uniqueId("eh");
  const now = at(-2 * DAY);

  await account.upsertCustomer({ id: customerId, userId, emailHash, ...pii, now });
  await account.upsertSubscription({
    id: uniqueId("sub"),
    customerId,
    status: "cancelled",
    productId: "prod-pro",
    now,
  });
  await account.upsertSubscription({
    id: uniqueId("sub"),
    customerId,
    status: "expired",
    productId: "prod-basic",
    now,
  });
  await session.upsertCart({ id: uniqueId("cart"), customerId, status: "abandoned", now });

  const subjects = [customerId, `customer:${customerId}`, `user:${userId}`, emailHash];
  subjects.push(`email:${emailHash}`);
  const tokenKeys: string[] = [];
  for (const subjectHash of subjects) {
    const key = uniqueId("tok");
    tokenKeys.push(key);
    await ephemeral.putEphemeralRecord({
      kind: "token",
      key,
      subjectHash,
      value: JSON.stringify({ purpose: "magic-link", email: pii.email, name: pii.name }),
      expiresAt: at(DAY),
      now,
    });
  }
  const nonceKey = uniqueId("nonce");
  await ephemeral.putEphemeralRecord({
    kind: "nonce",
    key: nonceKey,
    subjectHash: `customer:${customerId}`,
    value: "checkout-nonce",
    expiresAt: at(DAY),
    now,
  });

  const existing = await stock.getStockItem(stockItemId);
  if (!existing) await stock.upsertStockItem({ id: stockItemId, quantityOnHand: 100, now });
  const activeReservationIds: string[] = [];
  for (const quantity of [2, 3]) {
    const reservation = await stock.reserveStock({
      id: uniqueId("res"),
      stockItemId,
      quantity,
      customerId,
      cartId: null,
      idempotencyKey: uniqueId("idem"),
      expiresAt: at(DAY),
      now,
    });
    expect(reservation?.status).toBe("active");
    activeReservationIds.push(reservation!.id);
  }
  const released = await stock.reserveStock({
    id: uniqueId("res"),
    stockItemId,
    quantity: 1,
    customerId,
    expiresAt: at(DAY),
    now,
  });
  await stock.releaseReservation({ reservationId: released!.id, now });

  const personal = {
    to: pii.email,
    subject: `Thanks for your order, ${pii.name}`,
    text: `Hello ${pii.name} of ${pii.company} (VAT ${pii.vatId}), write to ${pii.email}.`,
    html: `<p>Hello ${pii.name}</p><p>${pii.company}, VAT ${pii.vatId}</p>`,
    metadata: {
      name: pii.name,
      links: [`https://shop.example/account?email=${pii.email}`],
      billing: { company: pii.company, vatId: pii.vatId },
    },
  };
  const queued = await enqueueTestEmail(ops, { ...personal, customerId, userId, emailHash, now });
  const inFlight = await enqueueTestEmail(ops, { ...personal, customerId, now });
  await leaseTestEmail(ops, inFlight.id, at(-MINUTE));
  const sent = await seedSentEmail(ops, { ...personal, customerId, userId, emailHash }, now);
  const failed = await seedFailedEmail(
    ops,
    { ...personal, customerId },
    { now, error: "Provider answered 503 Service Unavailable", nextAttemptAt: at(HOUR) },
  );
  const byHash = await seedSentEmail(ops, { ...personal, emailHash }, now);
  const byUser = await enqueueTestEmail(ops, { ...personal, userId, now });

  const exportReady = await ops.createAccountExport({
    id: uniqueId("exp"),
    customerId,
    userId,
    status: "ready",
    artifactRef: `exports/${customerId}/personal-data.zip`,
    downloadTokenHash: uniqueId("dl"),
    expiresAt: at(7 * DAY),
    now,
  });
  const exportPending = await ops.createAccountExport({
    id: uniqueId("exp"),
    userId,
    status: "pending",
    downloadTokenHash: uniqueId("dl"),
    now,
  });
  await ops.createAccountExport({
    id: uniqueId("exp"),
    customerId,
    status: "expired",
    artifactRef: null,
    downloadTokenHash: null,
    expiresAt: at(-DAY),
    now,
  });

  const snapshot = { ...pii, country: "GB", address: { city: "London" } };
  const orders = [
    await ledger.createOrder({
      id: uniqueId("ord"),
      customerId,
      userId,
      emailHash,
      customerSnapshot: snapshot,
      totalMinor: 4_900,
      currency: "EUR",
      status: "paid",
      now,
    }),
    await ledger.createOrder({
      id: uniqueId("ord"),
      customerId,
      customerSnapshot: snapshot,
      totalMinor: 12_000,
      currency: "EUR",
      status: "refunded",
      now,
    }),
    await ledger.createOrder({
      id: uniqueId("ord"),
      emailHash,
      customerSnapshot: { email: pii.email, name: pii.name, country: "GB" },
      totalMinor: 1_500,
      currency: "GBP",
      status: "paid",
      now,
    }),
  ];

  const entitlements = [
    await account.createEntitlement({
      id: uniqueId("ent"),
      customerId,
      userId,
      emailHash,
      productId: "prod-pro",
      now,
    }),
    await account.createEntitlement({ id: uniqueId("ent"), emailHash, productId: "ebook", now }),
  ];
  const licenses = [
    await account.createLicense({
      id: uniqueId("lic"),
      customerId,
      emailHash,
      keyHash: uniqueId("kh"),
      displaySuffix: "AB12",
      now,
    }),
    await account.createLicense({
      id: uniqueId("lic"),
      userId,
      keyHash: uniqueId("kh"),
      displaySuffix: "CD34",
      now,
    }),
  ];

  // Workflow inputs, outputs and webhook and ACP payloads hold personal data too (decision 0011).
  const personalInput = {
    email: pii.email,
    name: pii.name,
    company: pii.company,
    vatId: pii.vatId,
  };
  const workflows = [
    await ops.enqueueWorkflow({
      id: uniqueId("wf"),
      name: "order.fulfil",
      input: personalInput,
      customerId,
      now,
    }),
    await ops.enqueueWorkflow({
      id: uniqueId("wf"),
      name: "newsletter.subscribe",
      input: { contact: { email: pii.email } },
      emailHash,
      now,
    }),
  ];
  const finished = await ops.enqueueWorkflow({
    id: uniqueId("wf"),
    name: "invoice.render",
    input: personalInput,
    userId,
    now,
  });
  const workflowLease = uniqueId("wfl");
  await ops.tryLeaseWorkflow({
    workflowId: finished.id,
    leaseKey: workflowLease,
    now,
    leaseExpiresAt: at(MINUTE, now),
  });
  await ops.completeWorkflow({
    workflowId: finished.id,
    leaseKey: workflowLease,
    now,
    output: { billedTo: pii.company, vatId: pii.vatId },
  });
  workflows.push(finished);

  const rawPayload = JSON.stringify({ customer: { email: pii.email, name: pii.name } });
  const webhookEvents = [
    await ops.recordWebhookEvent({
      id: uniqueId("wh"),
      provider: "stripe",
      eventType: "checkout.session.completed",
      externalId: uniqueId("evt"),
      rawPayload,
      normalizedPayload: { email: pii.email, company: pii.company },
      customerId,
      receivedAt: now,
    }),
    await ops.recordWebhookEvent({
      id: uniqueId("wh"),
      provider: "paddle",
      eventType: "transaction.completed",
      externalId: uniqueId("evt"),
      rawPayload,
      receivedAt: now,
    }),
  ];
  // The subject of the second event is only known once it is processed.
  await ops.markWebhookEventProcessed({
    eventId: webhookEvents[1]!.id,
    now,
    normalizedPayload: { vatId: pii.vatId, name: pii.name },
    userId,
  });

  const sessionIds: string[] = [];
  for (const subject of [{ customerId }, { emailHash }]) {
    const created = await acpSessions.createSession!({
      id: uniqueId("acp"),
      payload: { buyer: { email: pii.email, name: pii.name }, company: pii.company },
      ttlMs: DAY,
      // Recent, so the acpSessions task (which runs before erasure) purges none of them.
      now: at(-MINUTE),
      ...subject,
    });
    sessionIds.push(created.id);
  }
  await acpSessions.updateSessionStatus!({
    sessionId: sessionIds[1]!,
    expectedVersion: 1,
    status: "completed",
    now: at(-MINUTE),
  });

  return {
    customerId,
    userId,
    emailHash,
    pii,
    stockItemId,
    activeReservationIds,
    reservedQuantity: 5,
    ids: {
      emails: [queued.id, inFlight.id, sent.id, failed.id, byHash.id, byUser.id],
      sentEmails: [sent.id, byHash.id],
      orders: orders.map((order) => order.id),
      entitlements: entitlements.map((entitlement) => entitlement.id),
      licenses: licenses.map((license) => license.id),
      exports: [exportReady.id, exportPending.id],
      tokenKeys,
      nonceKey,
      workflows: workflows.map((workflow) => workflow.id),
      webhookEvents: webhookEvents.map((event) => event.id),
      acpSessions: sessionIds,
    },
    expectedCounts: {
      tokensDeleted: 5,
      reservationsReleased: 2,
      emailsRedacted: 6,
      accountExportsRedacted: 2,
      workflowsRedacted: 3,
      webhookEventsRedacted: 2,
      acpSessionsDeleted: 2,
      ordersAnonymized: 3,
      entitlementsAnonymized: 2,
      licensesAnonymized: 2,
      customerAnonymized: 1,
    },
  };
}

/** Queues the erasure of a seeded person (by customer, user and email hash). */
export function queueErasure(
  repositories: MikaRepositories,
  person: SeededPerson,
  now = at(-HOUR, T0),
): Promise<MikaAccountDeleteRequestRecord> {
  return repositories.ops.queueAccountDeleteRequest({
    id: uniqueId("adr"),
    customerId: person.customerId,
    userId: person.userId,
    emailHash: person.emailHash,
    tokenHash: uniqueId("th"),
    now,
  });
}
