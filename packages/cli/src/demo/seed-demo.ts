import { createHash, randomBytes } from "node:crypto";
import {
  addMilliseconds,
  MIKA_EPHEMERAL_KINDS,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import {
  DEMO_EMAIL_SUBJECTS,
  DEMO_FIRST_NAMES,
  DEMO_LAST_NAMES,
  DEMO_STOCK_ITEMS,
  DEMO_WEBHOOK_TYPES,
  pick,
} from "./demo-data.ts";
import type { MikaProgress } from "./progress.ts";

/** How much the demo seeds. */
export interface MikaDemoSize {
  emails: number;
  reservations: number;
  ephemeral: number;
  webhooks: number;
  acpSessions: number;
}

/** What the demo seeded, for the summary line. */
export interface MikaDemoSeeded extends MikaDemoSize {
  run: string;
  expiredReservations: number;
  stockItems: number;
  expiredEphemeral: number;
  oldWebhooks: number;
  expiredAcpSessions: number;
  purgeableAcpSessions: number;
  stuckEmails: number;
  stuckWorkflows: number;
  accountDeletes: { completes: string; blocked: string };
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const CONCURRENCY = 8;

/**
 * Seeds realistic state through the adapter's host-facing methods, as a storefront would have
 * written it: queued mail, expired and live reservations, expired tokens, old webhook
 * payloads, ACP sessions, stuck leases, and two erasure requests (one blocked).
 */
export async function seedDemo(
  store: MikaStorageAdapter,
  size: MikaDemoSize,
  progress: MikaProgress,
  nowDate = new Date(),
): Promise<MikaDemoSeeded> {
  const now = nowDate.toISOString();
  const at = (offsetMs: number) => addMilliseconds(now, offsetMs);
  const run = randomBytes(3).toString("hex");
  const id = (kind: string, index: number | string) => `demo-${run}-${kind}-${index}`;
  const person = (index: number) => {
    const first = pick(DEMO_FIRST_NAMES, index);
    const last = pick(DEMO_LAST_NAMES, index * 7 + 3);
    return {
      name: `${first} ${last}`,
      email: `${first}.${last}.${index}@example.com`.toLowerCase(),
    };
  };

  await inBatches("queued emails", size.emails, progress, async (index) => {
    const { name, email } = person(index);
    const order = `#${10_400 + index}`;
    await store.ops.enqueueEmail({
      id: id("email", index),
      to: email,
      subject: pick(DEMO_EMAIL_SUBJECTS, index)(order),
      text: `Hi ${name.split(" ")[0]},\n\nThanks for shopping with us. Reference ${order}.`,
      customerId: id("customer", index % 60),
      emailHash: hash(email),
      now: at(-(size.emails - index) * 2_000),
    });
  });

  const stockItems = DEMO_STOCK_ITEMS.length;
  for (const [index, sku] of DEMO_STOCK_ITEMS.entries()) {
    await store.stock.upsertStockItem({ id: `${sku}-${run}`, quantityOnHand: 40 + index * 5, now });
  }
  const expiredReservations = Math.round(size.reservations * 0.75);
  await inBatches("stock reservations", size.reservations, progress, async (index) => {
    const expired = index < expiredReservations;
    await store.stock.reserveStock({
      id: id("reservation", index),
      stockItemId: `${pick(DEMO_STOCK_ITEMS, index)}-${run}`,
      quantity: 1 + (index % 3),
      cartId: id("cart", index),
      customerId: id("customer", index % 60),
      idempotencyKey: id("reserve", index),
      expiresAt: expired ? at(-(1 + (index % 50)) * MINUTE) : at((10 + (index % 20)) * MINUTE),
      now: at(-90 * MINUTE),
    });
  });

  const expiredEphemeral = Math.round(size.ephemeral * 0.8);
  await inBatches("tokens, nonces, locks, rate limits", size.ephemeral, progress, async (index) => {
    const expired = index < expiredEphemeral;
    await store.ephemeral.putEphemeralRecord({
      kind: pick(MIKA_EPHEMERAL_KINDS, index),
      key: id("ephemeral", index),
      subjectHash: `customer:${id("customer", index % 60)}`,
      value: randomBytes(8).toString("hex"),
      expiresAt: expired
        ? at(-(index % 600) * MINUTE - 1_000)
        : at((index % 600) * MINUTE + MINUTE),
      now: at(-DAY),
    });
  });

  const oldWebhooks = Math.round((size.webhooks * 2) / 3);
  await inBatches("webhook events", size.webhooks, progress, async (index) => {
    const old = index < oldWebhooks;
    const receivedAt = old ? at(-(15 + (index % 30)) * DAY) : at(-(index % 10) * DAY);
    const event = await store.ops.recordWebhookEvent({
      id: id("webhook", index),
      provider: "stripe",
      eventType: pick(DEMO_WEBHOOK_TYPES, index),
      externalId: `evt_${run}_${index}`,
      rawPayload: JSON.stringify({
        id: `evt_${run}_${index}`,
        object: "event",
        data: { amount: 1_900 + index },
      }),
      receivedAt,
    });
    await store.ops.markWebhookEventProcessed({ eventId: event.id, now: receivedAt });
  });

  const expiredAcpSessions = Math.round(size.acpSessions / 2);
  const purgeableAcpSessions = Math.round(size.acpSessions / 4);
  const acp = store.acpSessions;
  await inBatches("ACP checkout sessions", size.acpSessions, progress, async (index) => {
    if (!acp.createSession || !acp.updateSessionStatus) return;
    if (index < expiredAcpSessions) {
      await acp.createSession({
        id: id("acp", index),
        payload: { cart: id("cart", index) },
        now: at(-60 * MINUTE),
      });
    } else if (index < expiredAcpSessions + purgeableAcpSessions) {
      const created = await acp.createSession({ id: id("acp", index), now: at(-3 * DAY) });
      await acp.updateSessionStatus({
        sessionId: created.id,
        expectedVersion: created.version,
        status: "completed",
        now: at(-2 * DAY),
      });
    } else {
      await acp.createSession({ id: id("acp", index), now: at(-MINUTE) });
    }
  });

  const stuckEmails = 4;
  const stuckWorkflows = 3;
  await inBatches(
    "stuck email and workflow leases",
    stuckEmails + stuckWorkflows,
    progress,
    async (index) => {
      if (index < stuckEmails) {
        const email = await store.ops.enqueueEmail({
          id: id("stuck-email", index),
          to: person(500 + index).email,
          subject: "Your download link",
          maxAttempts: 1,
          now: at(-2 * 60 * MINUTE),
        });
        await store.ops.tryLeaseEmail({
          emailId: email.id,
          leaseKey: id("dead-worker", index),
          now: at(-60 * MINUTE),
          leaseExpiresAt: at(-55 * MINUTE),
        });
      } else {
        const workflow = await store.ops.enqueueWorkflow({
          id: id("workflow", index),
          name: pick(["order.fulfil", "invoice.render", "license.issue"], index),
          input: { order: `#${10_900 + index}` },
          maxAttempts: 1,
          now: at(-2 * 60 * MINUTE),
        });
        await store.ops.tryLeaseWorkflow({
          workflowId: workflow.id,
          leaseKey: id("dead-worker", index),
          now: at(-60 * MINUTE),
          leaseExpiresAt: at(-50 * MINUTE),
        });
      }
    },
  );

  const accountDeletes = await seedErasures(store, id, at, progress);
  return {
    run,
    ...size,
    expiredReservations,
    stockItems,
    expiredEphemeral,
    oldWebhooks,
    expiredAcpSessions,
    purgeableAcpSessions,
    stuckEmails,
    stuckWorkflows,
    accountDeletes,
  };
}

/** Two customers asking to be forgotten; the second still has an active subscription. */
async function seedErasures(
  store: MikaStorageAdapter,
  id: (kind: string, index: number | string) => string,
  at: (offsetMs: number) => string,
  progress: MikaProgress,
): Promise<{ completes: string; blocked: string }> {
  const report = progress.stage("account-delete requests", 2);
  const ada = {
    id: id("customer", "ada"),
    user: id("user", "ada"),
    email: "ada.lovelace@example.com",
  };
  const adaHash = hash(ada.email);
  await store.account.upsertCustomer({
    id: ada.id,
    userId: ada.user,
    email: ada.email,
    emailHash: adaHash,
    name: "Ada Lovelace",
    company: "Analytical Engines Ltd",
    vatId: "GB123456789",
    now: at(-400 * DAY),
  });
  await store.ledger.createOrder({
    customerId: ada.id,
    userId: ada.user,
    emailHash: adaHash,
    customerSnapshot: {
      email: ada.email,
      name: "Ada Lovelace",
      company: "Analytical Engines Ltd",
      vatId: "GB123456789",
      country: "GB",
    },
    totalMinor: 4_800,
    currency: "EUR",
    status: "paid",
    now: at(-30 * DAY),
  });
  await store.account.createEntitlement({
    customerId: ada.id,
    userId: ada.user,
    emailHash: adaHash,
    productId: "ebook-notes-on-the-engine",
    now: at(-30 * DAY),
  });
  await store.account.createLicense({
    customerId: ada.id,
    userId: ada.user,
    emailHash: adaHash,
    keyHash: hash("LICENSE-ADA-0001"),
    displaySuffix: "0001",
    now: at(-30 * DAY),
  });
  await store.ephemeral.putEphemeralRecord({
    kind: "token",
    key: id("session-token", "ada"),
    subjectHash: `user:${ada.user}`,
    expiresAt: at(30 * DAY),
    now: at(-DAY),
  });
  await store.ops.createAccountExport({
    customerId: ada.id,
    userId: ada.user,
    status: "ready",
    artifactRef: `exports/${ada.id}.zip`,
    downloadTokenHash: hash("download-ada"),
    expiresAt: at(6 * DAY),
    now: at(-DAY),
  });
  const completes = await store.ops.queueAccountDeleteRequest({
    customerId: ada.id,
    userId: ada.user,
    emailHash: adaHash,
    tokenHash: hash("confirm-ada"),
    now: at(-2 * 60 * MINUTE),
  });
  report(1);

  const brook = { id: id("customer", "brook"), email: "brook.haddad@example.com" };
  await store.account.upsertCustomer({
    id: brook.id,
    email: brook.email,
    emailHash: hash(brook.email),
    name: "Brook Haddad",
    now: at(-200 * DAY),
  });
  await store.account.upsertSubscription({
    id: id("subscription", "brook"),
    customerId: brook.id,
    status: "active",
    productId: "coffee-club-monthly",
    now: at(-100 * DAY),
  });
  const blocked = await store.ops.queueAccountDeleteRequest({
    customerId: brook.id,
    emailHash: hash(brook.email),
    now: at(-MINUTE * 30),
  });
  report(2);
  return { completes: completes.id, blocked: blocked.id };
}

async function inBatches(
  label: string,
  total: number,
  progress: MikaProgress,
  seedOne: (index: number) => Promise<void>,
): Promise<void> {
  const report = progress.stage(label, total);
  let done = 0;
  for (let start = 0; start < total; start += CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(CONCURRENCY, total - start) },
      (_, offset) => start + offset,
    );
    await Promise.all(batch.map((index) => seedOne(index)));
    done += batch.length;
    report(done);
  }
  if (total === 0) report(0);
}

function hash(value: string): string {
  return createHash("sha256").update(value.trim().toLowerCase()).digest("hex");
}
