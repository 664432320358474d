import {
  createMikaSqliteSchema,
  type MikaSqliteDatabase,
  type MikaSqliteDrizzle,
} from "@mika-maintenance/sqlite";
import { drizzle } from "drizzle-orm/d1";
import { MikaD1Error, MikaD1RowsBreakMigrationError } from "../errors.ts";
import type { MikaResolvedD1Options } from "../options.ts";
import { toMikaD1Error } from "./map-error.ts";

/**
 * The adapter's one way into D1. D1 has no interactive transactions, so there is no
 * `transaction`: every multi-statement change of the shared repositories is one `batch()`
 * (atomic: D1 runs it as one transaction) or one statement, migrations are applied one batch
 * each, and erasures run step by step. Nothing is retried here: D1 serializes writes itself.
 */
export function createD1Database(options: MikaResolvedD1Options): MikaSqliteDatabase {
  const db = withRawStatementsInBatches(
    drizzle(options.binding as never) as unknown as MikaSqliteDrizzle,
    options.binding,
  );
  const context = { database: options.name, tablePrefix: options.tablePrefix };
  let closed = false;

  return {
    tables: createMikaSqliteSchema(options.tablePrefix),
    tablePrefix: options.tablePrefix,
    errors: {
      schemaTooNew: (unknown) =>
        new MikaD1Error(
          "MIKA_D1_SCHEMA_TOO_NEW",
          options.name,
          `The D1 database ${JSON.stringify(options.name)} has migrations this version of ` +
            `@mika-maintenance/d1 does not know (${unknown.join(", ")}); a newer version ` +
            "migrated it. Deploy the newer version instead of running an older one against it.",
        ),
      rowsBreakMigration: (migration, violations, more) =>
        new MikaD1RowsBreakMigrationError(options.name, migration, violations, more),
    },
    async run(work) {
      if (closed) {
        throw new MikaD1Error(
          "MIKA_D1_CLOSED",
          options.name,
          `The D1 adapter of ${JSON.stringify(options.name)} was closed; create a new one.`,
        );
      }
      try {
        return await work(db);
      } catch (error) {
        throw toMikaD1Error(error, context);
      }
    },
    label: () => options.name,
    async close() {
      // The binding belongs to the Worker; closing only stops this adapter using it.
      closed = true;
    },
  };
}

/** What drizzle's prepared queries and raw queries both offer a batch. */
interface BatchableQuery {
  _prepare(): {
    getQuery(): { sql: string; params: unknown[] };
    mapResult(result: unknown, isFromBatch: boolean): unknown;
  };
}

interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
}

/**
 * drizzle's D1 `batch()` binds parameters through the prepared statement it keeps for query
 * builders, which raw queries (`db.all(sql\`…\`)`, `db.run(sql\`…\`)`) do not have, so a batch
 * holding one with parameters fails ("Cannot read properties of undefined (reading 'bind')").
 * This batch prepares every statement from its SQL and parameters through the binding itself
 * and lets each query map its own result, as drizzle does.
 */
function withRawStatementsInBatches(
  db: MikaSqliteDrizzle,
  binding: MikaResolvedD1Options["binding"],
): MikaSqliteDrizzle {
  const batch = async (queries: readonly BatchableQuery[]) => {
    const prepared = queries.map((query) => query._prepare());
    const statements = prepared.map((query) => {
      const { sql, params } = query.getQuery();
      const statement = binding.prepare(sql) as D1PreparedStatement;
      return params.length > 0 ? statement.bind(...params) : statement;
    });
    const results = await binding.batch(statements);
    return results.map((result, index) => prepared[index]?.mapResult(result, true));
  };
  return Object.assign(db, { batch }) as MikaSqliteDrizzle;
}
