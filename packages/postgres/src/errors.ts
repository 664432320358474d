import {
  MikaMaintenanceError,
  MikaMaintenanceInputError,
  MikaMaintenanceOptionsError,
} from "@mika-maintenance/core";

/** Invalid `createPostgresRepositories` options; `field` names the offending option. */
export class MikaPostgresOptionsError extends MikaMaintenanceOptionsError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = "MikaPostgresOptionsError";
  }
}

/** A repository method was called with input it cannot store (e.g. an unparsable `now`). */
export class MikaPostgresInputError extends MikaMaintenanceInputError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = "MikaPostgresInputError";
  }
}

/** A migration failed; the transaction was rolled back and nothing of it was applied. */
export class MikaPostgresMigrationError extends MikaMaintenanceError {
  readonly migrationName: string | null;

  constructor(migrationName: string | null, message: string, options?: { cause?: unknown }) {
    super("MIKA_POSTGRES_MIGRATION_FAILED", message, options);
    this.name = "MikaPostgresMigrationError";
    this.migrationName = migrationName;
  }
}
