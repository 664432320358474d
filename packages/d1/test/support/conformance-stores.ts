import { type MikaConformanceStore, malformedWriteTarget } from "@mika-maintenance/adapter-tests";
import { createSqliteBackdoor } from "@mika-maintenance/sqlite/testing";
import { createD1Repositories, type MikaD1Binding } from "../../src/index.ts";
import { type LocalD1, statement } from "./miniflare-d1.ts";

let storeCount = 0;

/**
 * A fresh store in the one local D1 database: its own table prefix, so every test starts
 * empty without restarting workerd; `connect()` opens the same tables through the next binding
 * (another Worker bound to the same database); `close()` drops the store's tables.
 */
export function createD1StoreFactory(d1: LocalD1): () => Promise<MikaConformanceStore> {
  return async () => {
    storeCount += 1;
    const tablePrefix = `t${storeCount}_`;
    const [first, ...others] = d1.bindings as [MikaD1Binding, ...MikaD1Binding[]];
    const adapter = createD1Repositories({ binding: first, tablePrefix, name: "DB_1" });
    await adapter.migrate();
    let connections = 0;
    const backdoor = createSqliteBackdoor(
      async (sql, args = []) => {
        const result = await statement(first, sql, args).all();
        return { rows: result.results, changes: result.meta.changes };
      },
      malformedWriteTarget,
      tablePrefix,
    );
    return {
      repositories: adapter,
      ...backdoor,
      async connect() {
        const binding = others[connections % others.length] ?? first;
        connections += 1;
        const other = createD1Repositories({ binding, tablePrefix });
        return { repositories: other, close: () => other.close() };
      },
      async close() {
        await adapter.close();
        const tables = await statement(
          first,
          "select name from sqlite_master where type = 'table' and name like ? escape '\\'",
          [`${tablePrefix.replaceAll("_", "\\_")}%`],
        ).all<{ name: string }>();
        for (const { name } of tables.results) await statement(first, `drop table "${name}"`).run();
      },
    };
  };
}
