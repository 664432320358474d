import { createClient } from "@libsql/client";
import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import {
  createMikaSqliteSchema,
  createSqliteStorageAdapter,
  type MikaSqliteDatabase,
  type MikaSqliteDrizzle,
} from "@mika-maintenance/sqlite";
import { drizzle } from "drizzle-orm/libsql";

// The glue one more SQLite driver needs: how to run statements, and the errors it names.
const client = createClient({ url: ":memory:" });
const db = drizzle({ client }) as unknown as MikaSqliteDrizzle;
const database: MikaSqliteDatabase = {
  tables: createMikaSqliteSchema(),
  tablePrefix: "mika_",
  errors: {
    schemaTooNew: (names) => new Error(`migrated by a newer version: ${names.join(", ")}`),
    rowsBreakMigration: (migration) => new Error(`stored rows break ${migration}`),
  },
  run: (work) => work(db),
  label: () => ":memory:",
  close: async () => client.close(),
};

const repositories = createSqliteStorageAdapter(database);
await repositories.migrate();
console.log(await createMikaMaintenanceRunner({ repositories }).runOnce());
await repositories.close();
