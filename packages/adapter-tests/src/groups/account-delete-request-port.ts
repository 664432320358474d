import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, HOUR, MINUTE, T0 } from "../support/clock.ts";
import { byId, uniqueId } from "../support/ids.ts";

/** The account-delete queue's compare-and-set bookkeeping. */
export const accountDeleteRequestPortGroup = defineConformanceGroup(
  "accountDeleteRequestPort",
  "erasure requests queue oldest first and record steps, errors and outcomes compare-and-set",
  {
    "queueAccountDeleteRequest stores a queued request that getAccountDeleteRequest reads": async ({
      repositories: { ops },
    }) => {
      const id = uniqueId("adr");
      const queued = await ops.queueAccountDeleteRequest({
        id,
        customerId: "cus-1",
        userId: "usr-1",
        emailHash: "eh-1",
        tokenHash: "th-1",
        now: T0,
      });
      const expected = {
        id,
        status: "queued",
        customerId: "cus-1",
        userId: "usr-1",
        emailHash: "eh-1",
        tokenHash: "th-1",
        steps: {},
        errorCount: 0,
        lastError: null,
        requestedAt: T0,
        updatedAt: T0,
        completedAt: null,
        failedAt: null,
      };
      expect(queued).toEqual(expected);
      expect(await ops.getAccountDeleteRequest(id)).toEqual(expected);
      expect(await ops.getAccountDeleteRequest(uniqueId("missing"))).toBeNull();
      const byUser = await ops.queueAccountDeleteRequest({ userId: "usr-2", now: T0 });
      expect(byUser).toMatchObject({ customerId: null, userId: "usr-2", emailHash: null });
    },

    "a request naming nobody is refused": async ({ repositories: { ops } }) => {
      await expect(ops.queueAccountDeleteRequest({ now: T0 })).rejects.toThrow();
      await expect(
        ops.queueAccountDeleteRequest({ customerId: null, userId: null, emailHash: null, now: T0 }),
      ).rejects.toThrow();
    },

    "listQueuedAccountDeleteRequests lists queued requests oldest first, then by id": async ({
      repositories: { ops },
    }) => {
      const newest = await ops.queueAccountDeleteRequest({ userId: "a", now: at(-MINUTE) });
      const oldest = await ops.queueAccountDeleteRequest({ userId: "b", now: at(-HOUR) });
      const tieA = await ops.queueAccountDeleteRequest({
        id: uniqueId("adr"),
        userId: "c",
        now: at(-2 * MINUTE),
      });
      const tieB = await ops.queueAccountDeleteRequest({
        id: uniqueId("adr"),
        userId: "d",
        now: at(-2 * MINUTE),
      });
      const done = await ops.queueAccountDeleteRequest({ userId: "e", now: at(-2 * HOUR) });
      await ops.completeAccountDeleteRequest({ requestId: done.id, now: T0 });
      const failed = await ops.queueAccountDeleteRequest({ userId: "f", now: at(-2 * HOUR) });
      await ops.failAccountDeleteRequest({ requestId: failed.id, now: T0, error: "blocked" });
      const ties = [tieA.id, tieB.id].sort(byId);
      const listed = await ops.listQueuedAccountDeleteRequests({ limit: 10 });
      expect(listed.map((r) => r.id)).toEqual([oldest.id, ...ties, newest.id]);
      const limited = await ops.listQueuedAccountDeleteRequests({ limit: 2 });
      expect(limited.map((r) => r.id)).toEqual([oldest.id, ties[0]]);
    },

    "recordAccountDeleteStep records each step once; a repeat or a finished request gets null":
      async ({ repositories: { ops } }) => {
        const request = await ops.queueAccountDeleteRequest({ customerId: "c", now: T0 });
        const first = await ops.recordAccountDeleteStep({
          requestId: request.id,
          step: "tokensDeleted",
          value: 3,
          now: at(1),
        });
        expect(first).toMatchObject({
          status: "queued",
          steps: { tokensDeleted: { status: "completed", completedAt: at(1), value: 3 } },
        });
        const second = await ops.recordAccountDeleteStep({
          requestId: request.id,
          step: "reservationsReleased",
          value: 0,
          now: at(2),
        });
        expect(second?.steps).toEqual({
          tokensDeleted: { status: "completed", completedAt: at(1), value: 3 },
          reservationsReleased: { status: "completed", completedAt: at(2), value: 0 },
        });
        const repeat = await ops.recordAccountDeleteStep({
          requestId: request.id,
          step: "tokensDeleted",
          value: 0,
          now: at(3),
        });
        expect(repeat).toBeNull();
        expect(await ops.getAccountDeleteRequest(request.id)).toEqual(second);
        await ops.completeAccountDeleteRequest({ requestId: request.id, now: at(4) });
        const afterDone = await ops.recordAccountDeleteStep({
          requestId: request.id,
          step: "emailsRedacted",
          value: 1,
          now: at(5),
        });
        expect(afterDone).toBeNull();
        expect(
          await ops.recordAccountDeleteStep({
            requestId: uniqueId("missing"),
            step: "tokensDeleted",
            value: 1,
            now: T0,
          }),
        ).toBeNull();
      },

    "completeAccountDeleteRequest completes a queued request and clears its identifiers": async ({
      repositories: { ops },
    }) => {
      const request = await ops.queueAccountDeleteRequest({
        customerId: "cus-9",
        userId: "usr-9",
        emailHash: "eh-9",
        tokenHash: "th-9",
        now: T0,
      });
      const done = await ops.completeAccountDeleteRequest({ requestId: request.id, now: at(HOUR) });
      expect(done).toMatchObject({
        status: "completed",
        completedAt: at(HOUR),
        customerId: "cus-9",
        userId: null,
        emailHash: null,
        tokenHash: null,
      });
      expect(await ops.getAccountDeleteRequest(request.id)).toEqual(done);
      expect(
        await ops.completeAccountDeleteRequest({ requestId: request.id, now: at(2 * HOUR) }),
      ).toBeNull();
      expect(await ops.getAccountDeleteRequest(request.id)).toEqual(done);
    },

    "recordAccountDeleteError keeps the request queued and counts errors": async ({
      repositories: { ops },
    }) => {
      const request = await ops.queueAccountDeleteRequest({ customerId: "c", now: T0 });
      await ops.recordAccountDeleteError({ requestId: request.id, now: at(1), error: "timeout 1" });
      const second = await ops.recordAccountDeleteError({
        requestId: request.id,
        now: at(2),
        error: "timeout 2",
      });
      expect(second).toMatchObject({
        status: "queued",
        errorCount: 2,
        lastError: "timeout 2",
        failedAt: null,
      });
      expect(await ops.getAccountDeleteRequest(request.id)).toEqual(second);
      expect((await ops.listQueuedAccountDeleteRequests({ limit: 10 })).map((r) => r.id)).toEqual([
        request.id,
      ]);
    },

    "failAccountDeleteRequest fails a queued request for good; a finished one gets null": async ({
      repositories: { ops },
    }) => {
      const request = await ops.queueAccountDeleteRequest({ customerId: "c", now: T0 });
      const failed = await ops.failAccountDeleteRequest({
        requestId: request.id,
        now: at(HOUR),
        error: "Account delete blocked: subscription s1 is active",
      });
      expect(failed).toMatchObject({
        status: "failed",
        lastError: "Account delete blocked: subscription s1 is active",
        failedAt: at(HOUR),
        completedAt: null,
      });
      expect(
        await ops.failAccountDeleteRequest({
          requestId: request.id,
          now: at(2 * HOUR),
          error: "x",
        }),
      ).toBeNull();
      expect(
        await ops.completeAccountDeleteRequest({ requestId: request.id, now: at(2 * HOUR) }),
      ).toBeNull();
      expect(await ops.getAccountDeleteRequest(request.id)).toEqual(failed);
    },

    "describeAccountDeleteBacklog counts queued requests and reports the oldest": async ({
      repositories: { ops },
    }) => {
      expect(await ops.describeAccountDeleteBacklog({ now: T0 })).toEqual({
        count: 0,
        oldestAt: null,
      });
      await ops.queueAccountDeleteRequest({ userId: "a", now: at(-HOUR) });
      await ops.queueAccountDeleteRequest({ userId: "b", now: at(-MINUTE) });
      const done = await ops.queueAccountDeleteRequest({ userId: "c", now: at(-2 * HOUR) });
      await ops.completeAccountDeleteRequest({ requestId: done.id, now: T0 });
      expect(await ops.describeAccountDeleteBacklog({ now: T0 })).toEqual({
        count: 2,
        oldestAt: at(-HOUR),
      });
    },
  },
);
