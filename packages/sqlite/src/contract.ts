// `@mika-maintenance/sqlite/contract`: what the libSQL and D1 adapters re-export as their own
// public API (errors, migrations, constants). Nothing here imports drizzle, so a consumer of an
// adapter type-checks without drizzle's declarations (they fail under skipLibCheck: false).
export { ERASED_EMAIL_SKIP_REASON, MIKA_SQLITE_DEFAULT_TABLE_PREFIX } from "./constants.ts";
export {
  describeRowsBreakingMigration,
  MikaSqliteInputError,
  type MikaSqliteRowViolation,
} from "./errors.ts";
export { MIKA_SQLITE_MIGRATIONS } from "./migrations/index.ts";
export type { MikaSqliteMigration, MikaSqliteRowCheck } from "./migrations/migration.ts";
