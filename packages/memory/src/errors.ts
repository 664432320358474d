import { MikaMaintenanceError, MikaMaintenanceInputError } from "@mika-maintenance/core";

/** A port method received a value a database would reject; `field` names it. */
export class MikaMemoryInputError extends MikaMaintenanceInputError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = "MikaMemoryInputError";
  }
}

/** An insert collided with an existing primary key, as a unique constraint would. */
export class MikaMemoryConflictError extends MikaMaintenanceError {
  readonly table: string;
  readonly key: string;

  constructor(table: string, key: string) {
    super(
      "MIKA_MEMORY_DUPLICATE_KEY",
      `A row with key "${key}" already exists in ${table}; use a new id or omit it to generate one.`,
    );
    this.name = "MikaMemoryConflictError";
    this.table = table;
    this.key = key;
  }
}
