export * from "./contract.ts";
export { createSqliteStorageAdapter } from "./create-sqlite-storage-adapter.ts";
export type {
  MikaSqliteAdapterErrors,
  MikaSqliteDatabase,
  MikaSqliteDrizzle,
  MikaSqliteRunResult,
} from "./database.ts";
export {
  applyMigrations as applySqliteMigrations,
  readMigrationStatus as readSqliteMigrationStatus,
} from "./migrations/run-migrations.ts";
export { createMikaSqliteSchema, type MikaSqliteSchema } from "./schema/create-schema.ts";
