import type {
  ISODateTime,
  MikaEmailOutboxPort,
  MikaEmailOutboxRecord,
  MikaEnqueueEmailInput,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { at, MINUTE, T0 } from "./clock.ts";
import { uniqueId } from "./ids.ts";

/** Queues an email with unique id, recipient and content; `overrides` win. */
export function enqueueTestEmail(
  ops: MikaEmailOutboxPort,
  overrides: Partial<MikaEnqueueEmailInput> = {},
): Promise<MikaEmailOutboxRecord> {
  const id = overrides.id ?? uniqueId("email");
  return ops.enqueueEmail({
    id,
    to: `${id}@example.test`,
    subject: `Your order ${id}`,
    text: `Plain text for ${id}`,
    html: `<p>HTML for ${id}</p>`,
    metadata: { template: "order-confirmation" },
    now: T0,
    ...overrides,
  });
}

/**
 * Takes a lease under a fresh key (prefixed `keyPrefix`) until `leaseMs` after `now`; fails
 * the test, naming `what`, when the lease is refused.
 */
export async function leaseForTest<Row>(
  what: string,
  keyPrefix: string,
  now: ISODateTime,
  leaseMs: number,
  take: (lease: {
    leaseKey: string;
    now: ISODateTime;
    leaseExpiresAt: ISODateTime;
  }) => Promise<Row | null>,
): Promise<{ leaseKey: string; row: Row }> {
  const leaseKey = uniqueId(keyPrefix);
  const row = await take({ leaseKey, now, leaseExpiresAt: at(leaseMs, now) });
  expect(row, `lease of ${what} at ${now}`).not.toBeNull();
  return { leaseKey, row: row! };
}

/** Leases an email with a fresh key; fails the test when the lease is refused. */
export async function leaseTestEmail(
  ops: MikaEmailOutboxPort,
  emailId: string,
  now: ISODateTime = T0,
  leaseMs = 5 * MINUTE,
): Promise<{ leaseKey: string; email: MikaEmailOutboxRecord }> {
  const { leaseKey, row } = await leaseForTest(emailId, "lease", now, leaseMs, (lease) =>
    ops.tryLeaseEmail({ emailId, ...lease }),
  );
  return { leaseKey, email: row };
}

/** An email that went out: queued, leased and completed at `now`. */
export async function seedSentEmail(
  ops: MikaEmailOutboxPort,
  overrides: Partial<MikaEnqueueEmailInput> = {},
  now: ISODateTime = T0,
): Promise<MikaEmailOutboxRecord> {
  const email = await enqueueTestEmail(ops, { now, ...overrides });
  const { leaseKey } = await leaseTestEmail(ops, email.id, now);
  const sent = await ops.completeEmail({
    emailId: email.id,
    leaseKey,
    now,
    providerMessageId: `provider-${email.id}`,
  });
  expect(sent?.status).toBe("sent");
  return sent!;
}

/** An email whose first attempt failed at `now`, to be retried at `nextAttemptAt`. */
export async function seedFailedEmail(
  ops: MikaEmailOutboxPort,
  overrides: Partial<MikaEnqueueEmailInput> = {},
  options: { now?: ISODateTime; nextAttemptAt?: ISODateTime | null; error?: string } = {},
): Promise<MikaEmailOutboxRecord> {
  const now = options.now ?? T0;
  const email = await enqueueTestEmail(ops, { now, ...overrides });
  const { leaseKey } = await leaseTestEmail(ops, email.id, now);
  const failed = await ops.failEmail({
    emailId: email.id,
    leaseKey,
    now,
    error: options.error ?? "Provider answered 503 Service Unavailable",
    nextAttemptAt: options.nextAttemptAt === undefined ? at(MINUTE, now) : options.nextAttemptAt,
  });
  expect(failed?.status).toBe("failed");
  return failed!;
}
