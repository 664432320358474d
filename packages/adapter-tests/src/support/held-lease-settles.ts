import type { ISODateTime, MikaRepositories } from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { at, MINUTE } from "./clock.ts";
import { uniqueId } from "./ids.ts";

type Ops = MikaRepositories["ops"];

/**
 * One way to settle a leased row (`completeEmail`, `failEmail`, `skipEmail`,
 * `completeWorkflow`): one row of the method × case table `heldLeaseSettleCases` builds.
 */
export interface HeldLeaseSettle {
  method: string;
  /** A fresh row that can be leased. */
  seed(ops: Ops): Promise<{ id: string }>;
  /** Leases the row at `now` for `leaseMs`; the key and the leased row. */
  lease(ops: Ops, id: string, now: ISODateTime, leaseMs: number): Promise<{ leaseKey: string }>;
  read(ops: Ops, id: string): Promise<unknown>;
  /** Calls the method under `leaseKey` at `now`; the settled row, or `null`. */
  settle(ops: Ops, id: string, leaseKey: string, now: ISODateTime): Promise<unknown>;
  /** What the settled row holds besides its cleared lease. */
  settled(now: ISODateTime): Record<string, unknown>;
  /** Further checks on the settled store (e.g. the row is no longer due). */
  after?(context: MikaConformanceContext, leaseKey: string): Promise<void>;
}

/**
 * Each method × each case of settling under a lease, as River's driver tests are written: a
 * key whose lease was taken over, or that never held it, gets `null` and changes nothing; the
 * holder settles the row
 * (its outcome set, its lease cleared, read back as returned); a second settle gets `null`.
 */
export function heldLeaseSettleCases(
  settles: readonly HeldLeaseSettle[],
): Record<string, (context: MikaConformanceContext) => Promise<void>> {
  return Object.fromEntries(
    settles.map((method) => [
      `${method.method} settles under the holder's lease only: a taken-over key and a second call get null`,
      async (context: MikaConformanceContext) => {
        const { ops } = context.repositories;
        const { id } = await method.seed(ops);
        const stale = await method.lease(ops, id, at(0), MINUTE);
        const current = await method.lease(ops, id, at(MINUTE), MINUTE);
        const leased = await method.read(ops, id);

        for (const wrong of [stale.leaseKey, uniqueId("never-held")]) {
          expect(await method.settle(ops, id, wrong, at(MINUTE + 1))).toBeNull();
          expect(await method.read(ops, id)).toEqual(leased);
        }

        const done = await method.settle(ops, id, current.leaseKey, at(MINUTE + 2));
        expect(done).toMatchObject({
          ...method.settled(at(MINUTE + 2)),
          leaseKey: null,
          leasedAt: null,
          leaseExpiresAt: null,
        });
        expect(await method.read(ops, id)).toEqual(done);

        expect(await method.settle(ops, id, current.leaseKey, at(MINUTE + 3))).toBeNull();
        expect(await method.read(ops, id)).toEqual(done);
        await method.after?.(context, current.leaseKey);
      },
    ]),
  );
}
