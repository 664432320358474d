import { MikaMaintenanceInputError, type MikaRepositories } from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { defineConformanceGroup } from "../define-group.ts";
import { SECOND, T0 } from "../support/clock.ts";
import { uniqueId } from "../support/ids.ts";

/** Timestamps that loose parsing once read as some instant; each must be refused. */
const LOOSE_TIMES: [label: string, value: string][] = [
  ["a bare number", "1"],
  ["a month name", "March 7"],
  ["30 February", "2026-02-30T10:00:00Z"],
  ["a time without a zone", "2026-06-21T10:00:00"],
];

/** Port calls where a time enters, each naming the field the bad value goes to. */
const TIME_INPUTS: [
  call: string,
  field: string,
  invoke: (r: MikaRepositories, bad: string) => Promise<unknown>,
][] = [
  [
    "ops.enqueueEmail now",
    "now",
    (r, bad) =>
      r.ops.enqueueEmail({ to: "port-input@example.com", subject: "s", text: "t", now: bad }),
  ],
  [
    "ops.enqueueEmail nextAttemptAt",
    "nextAttemptAt",
    (r, bad) =>
      r.ops.enqueueEmail({
        to: "port-input@example.com",
        subject: "s",
        text: "t",
        now: T0,
        nextAttemptAt: bad,
      }),
  ],
  [
    "ops.tryLeaseEmail leaseExpiresAt",
    "leaseExpiresAt",
    async (r, bad) => {
      const [email] = await r.ops.listDueEmails({ now: T0, limit: 1 });
      return r.ops.tryLeaseEmail({
        emailId: email?.id ?? "missing",
        leaseKey: "lease",
        now: T0,
        leaseExpiresAt: bad,
      });
    },
  ],
  ["ops.listDueEmails now", "now", (r, bad) => r.ops.listDueEmails({ now: bad, limit: 5 })],
  [
    "leadership.tryAcquireLeadership now",
    "now",
    (r, bad) =>
      r.leadership.tryAcquireLeadership({
        name: uniqueId("lead"),
        holder: "a",
        now: bad,
        ttlMs: SECOND,
      }),
  ],
];

/**
 * One bad value per condition a port checks (counts, limits, durations, enums, flags, money,
 * identities), each naming the field it must be refused under.
 */
const BAD_INPUTS: [
  call: string,
  field: string,
  invoke: (r: MikaRepositories) => Promise<unknown>,
][] = [
  ["ops.listDueEmails limit -1", "limit", (r) => r.ops.listDueEmails({ now: T0, limit: -1 })],
  ["ops.listDueEmails limit 1.5", "limit", (r) => r.ops.listDueEmails({ now: T0, limit: 1.5 })],
  [
    "ops.enqueueEmail maxAttempts 0",
    "maxAttempts",
    (r) =>
      r.ops.enqueueEmail({
        to: "port-input@example.com",
        subject: "s",
        text: "t",
        now: T0,
        maxAttempts: 0,
      }),
  ],
  [
    "ops.enqueueEmail an empty to",
    "to",
    (r) => r.ops.enqueueEmail({ to: "", subject: "s", text: "t", now: T0 }),
  ],
  [
    "ops.queueAccountDeleteRequest without any identity",
    "customerId",
    (r) => r.ops.queueAccountDeleteRequest({ now: T0 }),
  ],
  [
    "leadership.tryAcquireLeadership ttlMs 0",
    "ttlMs",
    (r) =>
      r.leadership.tryAcquireLeadership({ name: uniqueId("lead"), holder: "a", now: T0, ttlMs: 0 }),
  ],
  [
    "ephemeral.putEphemeralRecord an unknown kind",
    "kind",
    (r) =>
      r.ephemeral.putEphemeralRecord({
        kind: "not-a-kind" as never,
        key: uniqueId("key"),
        expiresAt: T0,
        now: T0,
      }),
  ],
  [
    "ephemeral.purgeExpired limit -1",
    "limit",
    (r) => r.ephemeral.purgeExpired({ now: T0, limit: -1 }),
  ],
  [
    "ledger.createOrder totalMinor 1.5",
    "totalMinor",
    (r) => r.ledger.createOrder({ totalMinor: 1.5, currency: "EUR", now: T0 }),
  ],
  [
    'runtimeState.setLanePaused paused "yes"',
    "paused",
    (r) =>
      r.runtimeState.setLanePaused({
        lane: "emailOutbox",
        paused: "yes" as never,
        by: "ops",
        now: T0,
      }),
  ],
  [
    "stock.reserveStock quantity 0",
    "quantity",
    (r) =>
      r.stock.reserveStock({
        stockItemId: uniqueId("item"),
        quantity: 0,
        expiresAt: T0,
        now: T0,
      }),
  ],
];

async function expectRefused(
  { repositories, dumpTables }: MikaConformanceContext,
  invoke: (r: MikaRepositories) => Promise<unknown>,
  field: string,
): Promise<void> {
  await repositories.ops.enqueueEmail({
    to: "seed@example.com",
    subject: "seed",
    text: "seed",
    now: T0,
  });
  const before = await dumpTables();
  const error = await invoke(repositories).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, "the call must fail").toBeInstanceOf(MikaMaintenanceInputError);
  expect((error as MikaMaintenanceInputError).code).toBe("MIKA_INVALID_INPUT");
  expect((error as MikaMaintenanceInputError).field).toBe(field);
  expect((error as Error).message).toContain(field);
  expect(await dumpTables()).toEqual(before);
}

/** Every value entering a port is checked by core's validators: refused by field, nothing written. */
export const portInputsGroup = defineConformanceGroup(
  "portInputs",
  "bad port input (loose times, overflowing durations, bad counts, enums, flags, identities) is refused with MIKA_INVALID_INPUT naming the field; the store is unchanged",
  {
    ...Object.fromEntries(
      TIME_INPUTS.flatMap(([call, field, invoke]) =>
        LOOSE_TIMES.map(([label, bad]) => [
          `${call}: ${label} (${JSON.stringify(bad)}) is refused naming ${field}`,
          (context: MikaConformanceContext) => expectRefused(context, (r) => invoke(r, bad), field),
        ]),
      ),
    ),

    ...Object.fromEntries(
      BAD_INPUTS.map(([call, field, invoke]) => [
        `${call} is refused with MIKA_INVALID_INPUT naming ${field}`,
        (context: MikaConformanceContext) => expectRefused(context, invoke, field),
      ]),
    ),

    "leadership ttlMs of 1e308 is refused naming ttlMs": (context) =>
      expectRefused(
        context,
        (r) =>
          r.leadership.tryAcquireLeadership({
            name: uniqueId("lead"),
            holder: "a",
            now: T0,
            ttlMs: 1e308,
          }),
        "ttlMs",
      ),

    "an offset timestamp is read as the instant it names": async ({ repositories }) => {
      const email = await repositories.ops.enqueueEmail({
        to: "offset@example.com",
        subject: "s",
        text: "t",
        now: "2026-06-21T12:00:00+02:00",
      });
      expect(email.createdAt).toBe(T0);
    },
  },
);
