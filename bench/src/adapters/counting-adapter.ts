import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { openMeteredAdapter } from "./driver-meter.ts";
import type { StoreTarget } from "./store.ts";

/** An adapter whose driver counts every call that goes to the database. */
export interface CountingAdapter {
  adapter: MikaStorageAdapter;
  /** Driver calls so far: pg `client.query`, libSQL `execute`/`batch`/`transaction`/… */
  roundTrips(): number;
  close(): Promise<void>;
}

/**
 * Opens an adapter on a driver the bench instruments, so round trips are counted where they
 * happen (one `pg` query, one libSQL client call), not inferred from port calls.
 */
export async function openCountingAdapter(target: StoreTarget): Promise<CountingAdapter> {
  const metered = await openMeteredAdapter(target);
  return {
    adapter: metered.adapter,
    roundTrips: () => metered.read().roundTrips,
    close: () => metered.close(),
  };
}
