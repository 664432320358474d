import { createClient } from "@libsql/client";
import { applySqliteMigrations as applyMigrations } from "@mika-maintenance/sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlDatabase } from "../src/database/libsql-database.ts";
import { toMikaLibsqlError } from "../src/database/map-error.ts";
import {
  createLibsqlRepositories,
  MIKA_LIBSQL_MIGRATIONS,
  MikaLibsqlRowsBreakMigrationError,
} from "../src/index.ts";
import { resolveLibsqlOptions } from "../src/options.ts";
import { createTempDatabase } from "./support/temp-database.ts";

const NOW = "2026-06-21T10:00:00.000Z";
const NOW_MS = Date.parse(NOW);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A file as the previous release (migration 0001 only) left it, with rows written through it. */
async function fileOfPreviousRelease() {
  const temp = await createTempDatabase();
  const database = createLibsqlDatabase(resolveLibsqlOptions({ url: temp.url }));
  await applyMigrations(database, MIKA_LIBSQL_MIGRATIONS.slice(0, 1));
  await database.close();
  const adapter = createLibsqlRepositories({ url: temp.url });
  await adapter.stock.upsertStockItem({ id: "sku", quantityOnHand: 10, now: NOW });
  await adapter.stock.reserveStock({
    id: "good",
    stockItemId: "sku",
    quantity: 2,
    expiresAt: "2026-06-21T11:00:00.000Z",
    now: NOW,
  });
  await adapter.ops.enqueueEmail({ id: "mail", to: "a@example.test", subject: "s", now: NOW });
  await adapter.close();
  const raw = createClient({ url: temp.url });
  cleanups.push(async () => {
    raw.close();
    await temp.remove();
  });
  return { temp, raw };
}

async function insertReservation(
  raw: ReturnType<typeof createClient>,
  id: string,
  quantity: unknown,
  status = "active",
) {
  await raw.execute({
    sql: `insert into mika_stock_reservations
      (id, stock_item_id, quantity, status, expires_at, created_at, updated_at)
      values (?, 'sku', ?, ?, ?, ?, ?)`,
    args: [id, quantity as number, status, NOW_MS, NOW_MS, NOW_MS],
  });
}

async function appliedNames(raw: ReturnType<typeof createClient>) {
  const rows = await raw.execute("select name from mika_migrations order by name");
  return rows.rows.map((row) => row.name);
}

describe("libSQL migration 0002: the Postgres CHECKs", () => {
  it("applies to a file of the previous release whose rows meet the rules, keeping every row", async () => {
    const { temp, raw } = await fileOfPreviousRelease();
    const adapter = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => adapter.close());
    const status = await adapter.migrate();
    expect(status.pending).toEqual([]);
    expect(await appliedNames(raw)).toEqual(MIKA_LIBSQL_MIGRATIONS.map((m) => m.name));
    expect(await adapter.stock.getReservation("good")).toMatchObject({ quantity: 2 });
    expect(await adapter.stock.getStockItem("sku")).toMatchObject({ quantityReserved: 2 });
    expect(await adapter.ops.getEmail("mail")).toMatchObject({ status: "queued" });
  });

  it("reports every stored row that breaks a rule, by table, row and column, and changes nothing", async () => {
    const { temp, raw } = await fileOfPreviousRelease();
    // What the previous release let a storefront write.
    await insertReservation(raw, "negative", -5);
    await insertReservation(raw, "text", "abc");
    await insertReservation(raw, "odd-status", 1, "on_hold");
    await raw.execute("update mika_stock_items set quantity_reserved = -3 where id = 'sku'");
    await raw.execute("update mika_email_outbox set status = 'bounced' where id = 'mail'");
    const before = await raw.execute("select * from mika_stock_reservations order by id");

    const adapter = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => adapter.close());
    const failure = await adapter.migrate().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MikaLibsqlRowsBreakMigrationError);
    const error = failure as MikaLibsqlRowsBreakMigrationError;
    expect(error.code).toBe("MIKA_LIBSQL_ROWS_BREAK_MIGRATION");
    expect(error.migration).toBe("0002_check_constraints");
    expect(
      error.violations.map(({ table, rowKey, column, value }) => ({
        table,
        rowKey,
        column,
        value,
      })),
    ).toEqual([
      { table: "mika_email_outbox", rowKey: "mail", column: "status", value: "'bounced'" },
      { table: "mika_stock_items", rowKey: "sku", column: "quantity_reserved", value: "-3" },
      { table: "mika_stock_reservations", rowKey: "negative", column: "quantity", value: "-5" },
      { table: "mika_stock_reservations", rowKey: "text", column: "quantity", value: "'abc'" },
      {
        table: "mika_stock_reservations",
        rowKey: "odd-status",
        column: "status",
        value: "'on_hold'",
      },
    ]);
    expect(error.message).toContain(
      'mika_stock_reservations row "negative": quantity = -5 (must be a whole number >= 1)',
    );
    expect(error.message).toContain(temp.path);

    // Nothing changed: not recorded, no trigger, every row as it was.
    expect(await appliedNames(raw)).toEqual(["0001_initial_schema"]);
    const triggers = await raw.execute(
      "select count(*) as n from sqlite_master where type = 'trigger'",
    );
    expect(Number(triggers.rows[0]?.n)).toBe(0);
    expect((await raw.execute("select * from mika_stock_reservations order by id")).rows).toEqual(
      before.rows,
    );

    // Once the operator fixed the rows, migrate applies it.
    await raw.execute("delete from mika_stock_reservations where id <> 'good'");
    await raw.execute("update mika_stock_items set quantity_reserved = 2 where id = 'sku'");
    await raw.execute("update mika_email_outbox set status = 'failed' where id = 'mail'");
    expect((await adapter.migrate()).pending).toEqual([]);
  });

  it.each([
    ["a reservation of -5", -5, "mika_stock_reservations.quantity must be a whole number >= 1"],
    [
      "a reservation of 'abc'",
      "abc",
      "mika_stock_reservations.quantity must be a whole number >= 1",
    ],
    ["a reservation of 1.5", 1.5, "mika_stock_reservations.quantity must be a whole number >= 1"],
  ])("refuses %s at write, naming table and column", async (_name, quantity, message) => {
    const { temp, raw } = await fileOfPreviousRelease();
    const adapter = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => adapter.close());
    await adapter.migrate();
    const failure = await insertReservation(raw, "bad", quantity).catch((error: unknown) => error);
    expect(String((failure as Error).message)).toContain(message);
    // The adapter's error for it names the database and says nothing was written.
    const mapped = toMikaLibsqlError(failure, {
      database: temp.path,
      tablePrefix: "mika_",
      busyTimeoutMs: 5_000,
    });
    expect(mapped).toMatchObject({ code: "MIKA_LIBSQL_CONSTRAINT_VIOLATION" });
    expect((mapped as Error).message).toBe(
      `Refused a write to ${JSON.stringify(temp.path)}: ${message}. Nothing was changed.`,
    );
    expect(await adapter.stock.getReservation("bad")).toBeNull();
  });

  it("refuses updates that break a rule: a negative quantity_reserved, an unknown status", async () => {
    const { temp, raw } = await fileOfPreviousRelease();
    const adapter = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => adapter.close());
    await adapter.migrate();
    await expect(
      raw.execute("update mika_stock_items set quantity_reserved = quantity_reserved - 5"),
    ).rejects.toThrow("mika_stock_items.quantity_reserved must be a whole number >= 0");
    await expect(raw.execute("update mika_email_outbox set status = 'bounced'")).rejects.toThrow(
      "mika_email_outbox.status must be one of queued, sent, failed, skipped",
    );
    await expect(
      raw.execute("update mika_stock_reservations set status = 'on_hold'"),
    ).rejects.toThrow(
      "mika_stock_reservations.status must be one of active, expired, released, consumed",
    );
    // The adapter's own writes still pass: release gives the stock back.
    expect(
      await adapter.stock.releaseReservation({ reservationId: "good", now: NOW }),
    ).toMatchObject({ status: "released" });
    expect(await adapter.stock.getStockItem("sku")).toMatchObject({ quantityReserved: 0 });
  });

  it("lets every value the adapter writes through: a heartbeat's is_leader, text that is a whole number", async () => {
    const { temp, raw } = await fileOfPreviousRelease();
    const adapter = createLibsqlRepositories({ url: temp.url });
    cleanups.push(() => adapter.close());
    await adapter.migrate();
    for (const isLeader of [true, false]) {
      await adapter.runtimeState.recordHeartbeat({
        instanceId: `i-${isLeader}`,
        host: "h",
        pid: 1,
        startedAt: NOW,
        lastBeatAt: NOW,
        isLeader,
      });
    }
    // SQLite's integer affinity turns '3' into 3 before the trigger looks.
    await insertReservation(raw, "text-number", "3");
    expect(await adapter.stock.getReservation("text-number")).toMatchObject({ quantity: 3 });
    await expect(raw.execute("update mika_runtime_heartbeats set is_leader = 2")).rejects.toThrow(
      "mika_runtime_heartbeats.is_leader must be 0 or 1",
    );
  });
});
