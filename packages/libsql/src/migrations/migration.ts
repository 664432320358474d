/** One schema change shipped with the package, as SQL statements for a table prefix. */
export interface MikaLibsqlMigration {
  /** Unique and sortable; recorded in `<prefix>migrations` once applied. */
  name: string;
  /** The statements, run in order inside the migration transaction. */
  up(prefix: string): readonly string[];
}
