import type { MikaStorageAdapter } from "@mika-maintenance/core";
import type { StoreTarget } from "./store.ts";

/** Opens an adapter instance on its own connection to an existing bench store. */
export async function openTargetAdapter(target: StoreTarget): Promise<MikaStorageAdapter> {
  if (target.adapter === "postgres") {
    const { createPostgresRepositories } = await import("@mika-maintenance/postgres");
    return createPostgresRepositories({
      connectionString: target.connectionString,
      schema: target.schema,
      tablePrefix: target.tablePrefix,
    });
  }
  if (target.adapter === "d1") {
    const { createD1Repositories } = await import("@mika-maintenance/d1");
    return createD1Repositories({ binding: target.binding, tablePrefix: target.tablePrefix });
  }
  const { createLibsqlRepositories } = await import("@mika-maintenance/libsql");
  return createLibsqlRepositories({ url: target.url, tablePrefix: target.tablePrefix });
}
