export { createSqliteStorageAdapter } from "./create-sqlite-storage-adapter.ts";
export type {
  MikaSqliteAdapterErrors,
  MikaSqliteDatabase,
  MikaSqliteDrizzle,
  MikaSqliteRunResult,
} from "./database.ts";
export { MikaSqliteInputError, type MikaSqliteRowViolation } from "./errors.ts";
export { MIKA_SQLITE_MIGRATIONS } from "./migrations/index.ts";
export type { MikaSqliteMigration, MikaSqliteRowCheck } from "./migrations/migration.ts";
export {
  applyMigrations as applySqliteMigrations,
  readMigrationStatus as readSqliteMigrationStatus,
} from "./migrations/run-migrations.ts";
export { ERASED_EMAIL_SKIP_REASON } from "./repositories/email-outbox.ts";
export {
  createMikaSqliteSchema,
  MIKA_SQLITE_DEFAULT_TABLE_PREFIX,
  type MikaSqliteSchema,
} from "./schema/create-schema.ts";
