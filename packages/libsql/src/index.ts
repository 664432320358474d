export {
  ERASED_EMAIL_SKIP_REASON,
  MIKA_SQLITE_MIGRATIONS as MIKA_LIBSQL_MIGRATIONS,
  type MikaSqliteMigration as MikaLibsqlMigration,
  type MikaSqliteRowCheck as MikaLibsqlRowCheck,
} from "@mika-maintenance/sqlite";
export { createLibsqlRepositories } from "./create-libsql-repositories.ts";
export {
  MikaLibsqlError,
  type MikaLibsqlErrorCode,
  MikaLibsqlInputError,
  MikaLibsqlOptionsError,
  type MikaLibsqlOptionsIssue,
  MikaLibsqlRowsBreakMigrationError,
  type MikaLibsqlRowViolation,
} from "./errors.ts";
export {
  MIKA_LIBSQL_DEFAULT_BUSY_TIMEOUT_MS,
  MIKA_LIBSQL_DEFAULT_TABLE_PREFIX,
  MIKA_LIBSQL_DEFAULT_URL,
  type MikaLibsqlClientOptions,
  type MikaLibsqlRepositoriesOptions,
  type MikaLibsqlUrlOptions,
} from "./options.ts";
