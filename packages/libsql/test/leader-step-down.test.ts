import { createMaintenanceRuntime, type MikaRuntimeEvent } from "@mika-maintenance/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlRepositories } from "../src/index.ts";
import { spawnFixture } from "./support/spawn-fixture.ts";
import { createTempDatabase } from "./support/temp-database.ts";

// docs/operations.md: a leader that cannot renew stops its lanes at most 0.75 × the TTL after
// its last good renewal. The lock begins after that renewal, so the same bound holds from it.
const LEASE_TTL_MS = 6_000;
const STEP_DOWN_BOUND_MS = 0.75 * LEASE_TTL_MS;
const LOCK_HELD_MS = 9_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("libSQL: leadership while another process holds the file locked", () => {
  it(`the leader steps down within 0.75 × the lease TTL (${STEP_DOWN_BOUND_MS} ms) of the lock, with the default busyTimeoutMs`, async () => {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.remove());
    const repositories = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => repositories.close());
    await repositories.migrate();

    const events: { event: MikaRuntimeEvent; at: number }[] = [];
    let acquired: () => void = () => undefined;
    const leading = new Promise<void>((resolve) => {
      acquired = resolve;
    });
    const stop = new AbortController();
    const runtime = createMaintenanceRuntime({
      repositories,
      leaseTtlMs: LEASE_TTL_MS,
      logger: false,
      onEvent: (event) => {
        events.push({ event, at: Date.now() });
        if (event.type === "leadership.acquired") acquired();
      },
    });
    const running = runtime.run({ signal: stop.signal });
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    await leading;

    const holder = spawnFixture("hold-write-lock", [temp.url, String(LOCK_HELD_MS)]);
    cleanups.push(async () => {
      holder.child.kill("SIGKILL");
    });
    await holder.ready;
    const lockedAt = Date.now();
    await holder.exited;

    const lost = events.find((entry) => entry.event.type === "leadership.lost");
    expect(lost, JSON.stringify(events.map((entry) => entry.event))).toBeDefined();
    const stepDownMs = lost!.at - lockedAt;
    console.log(JSON.stringify({ stepDownMs, bound: STEP_DOWN_BOUND_MS, lost: lost!.event }));
    expect(stepDownMs).toBeLessThanOrEqual(STEP_DOWN_BOUND_MS);
  }, 60_000);
});
