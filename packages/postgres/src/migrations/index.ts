import type { Kysely } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import type { MikaTableLocation } from "../schema/table-names.ts";
import { initialSchemaMigration } from "./0001-initial-schema.ts";
import { erasureSubjectsMigration } from "./0002-erasure-subjects.ts";
import { lanePausesAndRunHistoryMigration } from "./0004-lane-pauses-and-run-history.ts";
import { workflowRetriesMigration } from "./0006-workflow-retries.ts";
import { laneRunHoursAndBlockedDeletesMigration } from "./0007-lane-run-hours-and-blocked-deletes.ts";

/** A schema migration shipped as code, so bundles need no migration folder at runtime. */
export interface MikaPostgresMigration {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time, not typed by today's tables.
  up(db: Kysely<any>): Promise<void>;
}

/** Every migration the package ships, by name; names sort in the order they run. */
export function mikaPostgresMigrations(
  location: MikaTableLocation,
): Record<string, MikaPostgresMigration> {
  return {
    "0001_initial_schema": initialSchemaMigration(location),
    "0002_erasure_subjects": erasureSubjectsMigration(location),
    "0004_lane_pauses_and_run_history": lanePausesAndRunHistoryMigration(location),
    "0006_workflow_retries": workflowRetriesMigration(location),
    "0007_lane_run_hours_and_blocked_deletes": laneRunHoursAndBlockedDeletesMigration(location),
  };
}

/**
 * Serves the shipped migrations to a host's own kysely `Migrator`, for hosts that run every
 * migration of their app in one place. `migrate()` does not need it.
 */
export class MikaPostgresMigrationProvider implements MigrationProvider {
  readonly #location: MikaTableLocation;

  constructor(location: MikaTableLocation) {
    this.#location = location;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return mikaPostgresMigrations(this.#location);
  }
}
