import type { MikaSqliteMigration } from "./migration.ts";

/**
 * Erasure finds tokens by subject; nothing else reads `subject_hash`. Indexing it only for
 * tokens (as Postgres does) spares every purge batch from rewriting an index entry for each
 * nonce, lock, rate-limit and cache row it deletes.
 */
export const partialTokenSubjectIndexMigration: MikaSqliteMigration = {
  name: "0006_partial_token_subject_index",
  up: (p) => [
    `DROP INDEX IF EXISTS "${p}ephemeral_records_subject_idx"`,
    `CREATE INDEX IF NOT EXISTS "${p}ephemeral_records_token_subject_idx" ON "${p}ephemeral_records" ("subject_hash", "kind") WHERE "kind" = 'token'`,
  ],
};
