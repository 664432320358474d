import { createClient } from "@libsql/client";
import {
  createMikaSqliteSchema,
  mikaEmailOutbox,
  mikaSqliteSchema,
} from "@mika-maintenance/libsql/schema";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLibsqlRepositories } from "../src/index.ts";

const PREFIX = "shop_mika_";
const client = createClient({ url: ":memory:" });

beforeAll(async () => {
  await createLibsqlRepositories({ client, tablePrefix: PREFIX }).migrate();
  await createLibsqlRepositories({ client }).migrate();
});
afterAll(() => client.close());

async function rows(sql: string) {
  return (await client.execute(sql)).rows;
}

describe("the exported drizzle schema (@mika-maintenance/libsql/schema)", () => {
  const tables = Object.values(createMikaSqliteSchema(PREFIX)) as SQLiteTable[];

  it("declares exactly the tables the migrations create", async () => {
    const created = await rows(
      `select name from sqlite_master where type = 'table' and name like '${PREFIX}%' order by name`,
    );
    expect(tables.map((table) => getTableConfig(table).name).sort()).toEqual(
      created.map((row) => row.name),
    );
  });

  it.each(tables.map((table) => [getTableConfig(table).name, table] as const))(
    "%s: columns, types, NOT NULL, primary key and indexes match the migration",
    async (name, table) => {
      const config = getTableConfig(table);
      const info = await rows(`PRAGMA table_info("${name}")`);
      expect(
        config.columns.map((column) => ({
          name: column.name,
          type: column.getSQLType().toUpperCase(),
          notNull: column.notNull || column.primary,
        })),
      ).toEqual(
        info.map((row) => ({
          name: row.name,
          type: String(row.type).toUpperCase(),
          notNull: row.notnull === 1,
        })),
      );
      const primaryKey = info
        .filter((row) => Number(row.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk))
        .map((row) => row.name);
      const declaredPrimaryKey = [
        ...config.columns.filter((column) => column.primary).map((column) => column.name),
        ...config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name)),
      ];
      expect(declaredPrimaryKey).toEqual(primaryKey);

      const indexes = (await rows(`PRAGMA index_list("${name}")`)).filter(
        (row) => row.origin === "c",
      );
      const declared = config.indexes.map((index) => ({
        name: index.config.name,
        unique: index.config.unique,
        partial: index.config.where !== undefined,
        columns: index.config.columns.map((column) => ("name" in column ? column.name : null)),
      }));
      const actual = [];
      for (const index of indexes) {
        const columns = await rows(`PRAGMA index_info("${String(index.name)}")`);
        actual.push({
          name: index.name,
          unique: index.unique === 1,
          partial: index.partial === 1,
          columns: columns.map((column) => column.name),
        });
      }
      const byName = (a: { name: unknown }, b: { name: unknown }) =>
        String(a.name).localeCompare(String(b.name));
      expect(declared.sort(byName)).toEqual(actual.sort(byName));
    },
  );

  it("exports the default-prefix tables for drizzle-kit, usable with drizzle over the adapter's data", async () => {
    expect(getTableConfig(mikaEmailOutbox).name).toBe("mika_email_outbox");
    expect(Object.keys(mikaSqliteSchema)).toContain("stockReservations");
    const adapter = createLibsqlRepositories({ client });
    await adapter.ops.enqueueEmail({
      id: "e1",
      to: "a@example.test",
      subject: "Hello",
      metadata: { n: 1 },
      now: "2026-06-21T10:00:00.000Z",
    });
    const db = drizzle({ client });
    const [row] = await db.select().from(mikaEmailOutbox).where(eq(mikaEmailOutbox.id, "e1"));
    expect(row).toMatchObject({
      id: "e1",
      status: "queued",
      metadata: { n: 1 },
      createdAt: "2026-06-21T10:00:00.000Z",
    });
    const raw = await rows("select created_at from mika_email_outbox where id = 'e1'");
    expect(raw[0]?.created_at).toBe(Date.parse("2026-06-21T10:00:00.000Z"));
  });
});
