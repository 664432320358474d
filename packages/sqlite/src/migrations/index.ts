import { initialSchemaMigration } from "./0001-initial-schema.ts";
import { checkConstraintsMigration } from "./0002-check-constraints.ts";
import { erasureSubjectsMigration } from "./0003-erasure-subjects.ts";
import { lanePausesAndRunHistoryMigration } from "./0005-lane-pauses-and-run-history.ts";
import { partialTokenSubjectIndexMigration } from "./0006-partial-token-subject-index.ts";
import { workflowRetriesMigration } from "./0007-workflow-retries.ts";
import { laneRunHoursAndBlockedDeletesMigration } from "./0008-lane-run-hours-and-blocked-deletes.ts";
import type { MikaSqliteMigration } from "./migration.ts";

/** Every migration the package ships, oldest first. Append only; never edit a shipped one. */
export const MIKA_SQLITE_MIGRATIONS: readonly MikaSqliteMigration[] = [
  initialSchemaMigration,
  checkConstraintsMigration,
  erasureSubjectsMigration,
  lanePausesAndRunHistoryMigration,
  partialTokenSubjectIndexMigration,
  workflowRetriesMigration,
  laneRunHoursAndBlockedDeletesMigration,
];
