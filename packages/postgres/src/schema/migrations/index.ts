import type { Migration, MigrationProvider } from "kysely/migration";
import type { MikaTableLocation } from "../table-names.ts";
import { initialSchemaMigration } from "./0001-initial-schema.ts";

/** Every migration the package ships, by name; names sort in the order they run. */
export function mikaPostgresMigrations(location: MikaTableLocation): Record<string, Migration> {
  return {
    "0001_initial_schema": initialSchemaMigration(location),
  };
}

/** Serves the shipped migrations from code, so bundles need no migration folder at runtime. */
export class MikaPostgresMigrationProvider implements MigrationProvider {
  readonly #location: MikaTableLocation;

  constructor(location: MikaTableLocation) {
    this.#location = location;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return mikaPostgresMigrations(this.#location);
  }
}
