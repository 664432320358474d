import { createMikaMaintenanceRunner } from "@mika-maintenance/core";

const MIKA_INVALID_OPTIONS = "MIKA_INVALID_OPTIONS";

import {
  applySqliteMigrations,
  createMikaSqliteSchema,
  MIKA_SQLITE_MIGRATIONS,
} from "@mika-maintenance/sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createD1Database } from "../src/database/d1-database.ts";
import { toMikaD1Error } from "../src/database/map-error.ts";
import {
  createD1Repositories,
  MikaD1Error,
  MikaD1OptionsError,
  MikaD1RowsBreakMigrationError,
} from "../src/index.ts";
import { type LocalD1, startLocalD1, statement } from "./support/miniflare-d1.ts";

const NOW = "2026-06-21T10:00:00.000Z";

let d1: LocalD1;
let prefixes = 0;
beforeAll(async () => {
  d1 = await startLocalD1();
});
afterAll(() => d1?.dispose());

/** A table prefix no other test in this file uses: each test starts with no tables. */
function freshPrefix(): string {
  prefixes += 1;
  return `a${prefixes}_`;
}

async function caught(work: () => Promise<unknown>): Promise<MikaD1Error> {
  const error = await work().then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(MikaD1Error);
  return error as MikaD1Error;
}

describe("D1 adapter options", () => {
  it.each([
    [{}, "binding", /must be a D1 binding \(an object with prepare\(\) and batch\(\)/],
    [{ binding: { prepare: () => null } }, "binding", /got an object|got \{/],
    [{ binding: "DB" }, "binding", /got "DB"/],
  ])("rejects %o naming %s", (options, field, message) => {
    const error = (() => {
      try {
        createD1Repositories(options as never);
      } catch (failure) {
        return failure as MikaD1OptionsError;
      }
      throw new Error("expected an options error");
    })();
    expect(error).toBeInstanceOf(MikaD1OptionsError);
    expect(error.code).toBe(MIKA_INVALID_OPTIONS);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("rejects a table prefix SQL could not name, naming tablePrefix", () => {
    expect(() =>
      createD1Repositories({ binding: d1.bindings[0]!, tablePrefix: 'x"; drop' }),
    ).toThrow(expect.objectContaining({ code: MIKA_INVALID_OPTIONS, field: "tablePrefix" }));
  });
});

describe("D1 migrations", () => {
  it("two Workers migrating the same database at once apply each migration exactly once", async () => {
    const tablePrefix = freshPrefix();
    const workers = d1.bindings
      .slice(0, 4)
      .map((binding, index) => createD1Repositories({ binding, tablePrefix, name: `DB_${index}` }));

    const statuses = await Promise.all(workers.map((worker) => worker.migrate()));

    for (const status of statuses) expect(status.pending).toEqual([]);
    const recorded = await statement(
      d1.bindings[0]!,
      `select name, count(*) as times from "${tablePrefix}migrations" group by name order by name`,
    ).all<{ name: string; times: number }>();
    expect(recorded.results).toEqual(
      MIKA_SQLITE_MIGRATIONS.map((migration) => ({ name: migration.name, times: 1 })),
    );
    expect((await workers[3]!.migrate()).applied).toHaveLength(MIKA_SQLITE_MIGRATIONS.length);
  });

  it("refuses a database a newer version migrated, naming the unknown migration", async () => {
    const tablePrefix = freshPrefix();
    const adapter = createD1Repositories({
      binding: d1.bindings[0]!,
      tablePrefix,
      name: "MIKA_DB",
    });
    await adapter.migrate();
    await statement(
      d1.bindings[0]!,
      `insert into "${tablePrefix}migrations" (name, applied_at) values ('9999_from_the_future', 0)`,
    ).run();

    const error = await caught(() => adapter.migrate());

    expect(error.code).toBe("MIKA_D1_SCHEMA_TOO_NEW");
    expect(error.message).toContain("9999_from_the_future");
    expect(error.message).toContain('"MIKA_DB"');
  });

  it("reports stored rows that break a rule a pending migration adds, and applies nothing", async () => {
    const tablePrefix = freshPrefix();
    const database = createD1Database({ binding: d1.bindings[0]!, tablePrefix, name: "MIKA_DB" });
    await applySqliteMigrations(database, MIKA_SQLITE_MIGRATIONS.slice(0, 1));
    await statement(
      d1.bindings[0]!,
      `insert into "${tablePrefix}stock_items" (id, quantity_on_hand, quantity_reserved, updated_at) values ('sku-1', 5, -5, 0)`,
    ).run();

    const error = await caught(() => applySqliteMigrations(database));

    expect(error).toBeInstanceOf(MikaD1RowsBreakMigrationError);
    expect(error.code).toBe("MIKA_D1_ROWS_BREAK_MIGRATION");
    expect((error as MikaD1RowsBreakMigrationError).violations).toEqual([
      expect.objectContaining({
        table: `${tablePrefix}stock_items`,
        rowKey: "sku-1",
        column: "quantity_reserved",
        value: "-5",
      }),
    ]);
    const applied = await statement(
      d1.bindings[0]!,
      `select name from "${tablePrefix}migrations"`,
    ).all();
    expect(applied.results).toEqual([{ name: MIKA_SQLITE_MIGRATIONS[0]!.name }]);
  });
});

describe("D1: errors name D1's own cause on one line", () => {
  it("a store that was never migrated: a task's error names the missing table, no SQL", async () => {
    const tablePrefix = freshPrefix();
    const repositories = createD1Repositories({
      binding: d1.bindings[0]!,
      tablePrefix,
      name: "MIKA_DB",
    });
    const runner = createMikaMaintenanceRunner({ repositories });

    const result = await runner.runOnce({ now: NOW });

    const outcome = result.stockReservations as { status: string; error: string };
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toMatch(
      new RegExp(`no such table: ${tablePrefix}stock_(items|reservations)`),
    );
    expect(outcome.error).toContain('"MIKA_DB"');
    expect(outcome.error).not.toMatch(/Failed query|params:|\n/);
  });

  it("a write a migration's rule refuses names the column and what it allows", async () => {
    const tablePrefix = freshPrefix();
    const adapter = createD1Repositories({ binding: d1.bindings[0]!, tablePrefix });
    await adapter.migrate();
    const failure = await statement(
      d1.bindings[0]!,
      `insert into "${tablePrefix}stock_items" (id, quantity_on_hand, quantity_reserved, updated_at) values ('sku-1', 5, -5, 0)`,
    )
      .run()
      .then(
        () => null,
        (error: unknown) => error,
      );

    const mapped = toMikaD1Error(failure, { database: "MIKA_DB", tablePrefix }) as MikaD1Error;

    expect(mapped.code).toBe("MIKA_D1_CONSTRAINT_VIOLATION");
    expect(mapped.message).toMatch(
      new RegExp(
        `${tablePrefix}stock_items\\.quantity_reserved must be .*\\. Nothing was changed\\.$`,
      ),
    );
  });

  it("a closed adapter refuses further calls", async () => {
    const adapter = createD1Repositories({ binding: d1.bindings[0]!, tablePrefix: freshPrefix() });
    await adapter.close();
    expect((await caught(() => adapter.migrate())).code).toBe("MIKA_D1_CLOSED");
  });

  it("the schema factory the adapter shares with libSQL names tables with the prefix", () => {
    expect(createMikaSqliteSchema("shop_").stockItems).toBeDefined();
  });
});
