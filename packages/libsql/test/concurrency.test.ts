import { createClient } from "@libsql/client";
import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createMikaSqliteSchema } from "@mika-maintenance/sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlRepositories, MIKA_LIBSQL_MIGRATIONS } from "../src/index.ts";
import { type DrainReport, drainOutboxAndStock } from "./support/drain.ts";
import { openSeedingAdapter } from "./support/fast-seeding.ts";
import { fixtureOutput, runFixture } from "./support/run-fixture.ts";
import { type SeededBacklog, seedBacklog } from "./support/seed-backlog.ts";
import { createTempDatabase, type TempDatabase } from "./support/temp-database.ts";

const NOW = "2026-06-21T10:00:00.000Z";
const RUNNERS = 4;
const EMAILS = 2_000;
const RESERVATIONS = 2_000;
const ITEMS = 40;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function migratedFile(): Promise<{ temp: TempDatabase; adapter: MikaStorageAdapter }> {
  const temp = await createTempDatabase();
  const adapter = createLibsqlRepositories({ url: temp.url });
  cleanups.push(async () => {
    await adapter.close();
    await temp.remove();
  });
  await adapter.migrate();
  return { temp, adapter };
}

async function seedThroughFastClient(url: string): Promise<SeededBacklog> {
  const seeding = await openSeedingAdapter(url);
  try {
    return await seedBacklog(seeding.adapter, {
      emails: EMAILS,
      reservations: RESERVATIONS,
      items: ITEMS,
      now: NOW,
    });
  } finally {
    await seeding.close();
  }
}

/** Every email sent exactly once, every expired reservation released once, stock exact. */
async function expectDrainedExactlyOnce(
  adapter: MikaStorageAdapter,
  seeded: SeededBacklog,
  reports: DrainReport[],
) {
  const sent = reports.flatMap((report) => report.sent);
  expect(sent).toHaveLength(EMAILS);
  expect(new Set(sent).size).toBe(EMAILS);
  expect([...sent].sort()).toEqual([...seeded.emailIds].sort());
  expect(reports.reduce((total, report) => total + report.reservationsReleased, 0)).toBe(
    RESERVATIONS,
  );
  // Several runners really took part.
  expect(reports.filter((report) => report.sent.length > 0).length).toBeGreaterThan(1);

  for (const id of seeded.emailIds) {
    const email = await adapter.ops.getEmail(id);
    expect(email, id).toMatchObject({ status: "sent", attemptCount: 1, leaseKey: null });
  }
  for (const id of seeded.expiredReservationIds) {
    const reservation = await adapter.stock.getReservation(id);
    expect(reservation, id).toMatchObject({ status: "expired", idempotencyKey: null });
  }
  for (const [itemId, live] of seeded.liveQuantityByItem) {
    expect((await adapter.stock.getStockItem(itemId))?.quantityReserved, itemId).toBe(live);
  }
  expect(await adapter.ops.describeEmailBacklog({ now: NOW })).toEqual({
    count: 0,
    oldestAt: null,
  });
  expect(await adapter.stock.describeExpiredReservationBacklog({ now: NOW })).toEqual({
    count: 0,
    oldestAt: null,
  });
}

describe("concurrency on one libSQL file", () => {
  it(`${RUNNERS} runners in one process, each with its own client, drain ${EMAILS} emails and release ${RESERVATIONS} reservations exactly once`, async () => {
    const { temp, adapter } = await migratedFile();
    const seeded = await seedThroughFastClient(temp.url);
    const runners = Array.from({ length: RUNNERS }, () =>
      // synchronous "normal" here; the process test below keeps the default "full".
      createLibsqlRepositories({ url: temp.url, synchronous: "normal" }),
    );
    cleanups.push(async () => {
      await Promise.all(runners.map((runner) => runner.close()));
    });
    const reports = await Promise.all(runners.map((runner) => drainOutboxAndStock(runner, NOW)));
    await expectDrainedExactlyOnce(adapter, seeded, reports);
  }, 300_000);

  it(`${RUNNERS} runner processes on the same file drain ${EMAILS} emails and release ${RESERVATIONS} reservations exactly once (SQLite's busy timeout, not SQLITE_BUSY)`, async () => {
    const { temp, adapter } = await migratedFile();
    const seeded = await seedThroughFastClient(temp.url);
    const results = await Promise.all(
      Array.from({ length: RUNNERS }, () => runFixture("drain-worker", [temp.url, NOW])),
    );
    const reports = results.map((result) => fixtureOutput<DrainReport>(result));
    await expectDrainedExactlyOnce(adapter, seeded, reports);
  }, 300_000);

  it("two clients migrating the same fresh file at once apply each migration once", async () => {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.remove());
    const adapters = [0, 1].map(() => createLibsqlRepositories({ url: temp.url }));
    cleanups.push(async () => {
      await Promise.all(adapters.map((adapter) => adapter.close()));
    });
    const statuses = await Promise.all(adapters.map((adapter) => adapter.migrate()));
    const names = MIKA_LIBSQL_MIGRATIONS.map((migration) => migration.name);
    for (const status of statuses) {
      expect(status.pending).toEqual([]);
      expect(status.applied.map((migration) => migration.name)).toEqual(names);
    }
    const reader = createClient({ url: temp.url });
    const rows = await reader.execute("select name from mika_migrations");
    reader.close();
    expect(rows.rows.map((row) => row.name)).toEqual(names);
  });

  it(`${RUNNERS} processes migrating the same fresh file at once all succeed, each migration recorded once`, async () => {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.remove());
    const results = await Promise.all(
      Array.from({ length: RUNNERS }, () => runFixture("migrate-worker", [temp.url])),
    );
    const names = MIKA_LIBSQL_MIGRATIONS.map((migration) => migration.name);
    for (const result of results) {
      const status = fixtureOutput<{ pending: string[]; applied: { name: string }[] }>(result);
      expect(status.pending).toEqual([]);
      expect(status.applied.map((migration) => migration.name)).toEqual(names);
    }
    const reader = createClient({ url: temp.url });
    const rows = await reader.execute("select name from mika_migrations");
    const tables = await reader.execute(
      "select count(*) as n from sqlite_master where type = 'table' and name like 'mika%'",
    );
    reader.close();
    expect(rows.rows.map((row) => row.name)).toEqual(names);
    // Every table of the schema, plus the migrations record it also declares.
    expect(Number(tables.rows[0]?.n)).toBe(Object.keys(createMikaSqliteSchema()).length);
  }, 60_000);
});
