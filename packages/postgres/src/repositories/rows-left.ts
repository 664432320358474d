import { type RawBuilder, sql } from "kysely";

/** What `rowsLeft` looks for: due rows, ordered exactly as their partial index is. */
export interface RowsLeftQuery {
  /** The swept table (`sql.table(...)`). */
  table: RawBuilder<unknown>;
  /** The due predicate, written as the partial index's predicate plus the due bound. */
  where: RawBuilder<boolean>;
  /** The partial index's columns, in its order, so the probe walks that index. */
  orderBy: RawBuilder<unknown>;
  /**
   * The rows this same statement's data-modifying CTE took, which its snapshot still shows
   * as due (e.g. sql`id not in (select id from purged)`). Omit when the probe runs as a later
   * statement of the batch's transaction, which already sees them gone. A bound on the index
   * key past the last row taken (the stock release's `(expires_at, id) > (…)`) excludes them
   * and also starts the walk after them, skipping the dead entries of earlier batches.
   */
  excluding?: RawBuilder<boolean>;
}

/**
 * The `more` of a sweep batch: whether any due row is left. A scalar subquery with `order by`
 * the partial index's columns and `limit 1` walks that index and stops at the first hit, so
 * it costs the same on an empty backlog of a 1M-row table as on a 10k-row one. `exists (…)`
 * does not: Postgres plans it for its first row, ignores any `order by`, and with correlated
 * predicates (status and a time bound) expects an early hit from a Seq Scan, which reads the
 * whole table when nothing is due.
 *
 * Every sweep picks with `for update skip locked`, so a batch that came back short of its
 * size does not prove that nothing is left (rows another worker holds were skipped, and stay
 * due if it rolls back): the probe runs after short batches too.
 */
export function rowsLeft({ table, where, orderBy, excluding }: RowsLeftQuery): RawBuilder<boolean> {
  const filter = excluding ? sql`${where} and ${excluding}` : where;
  return sql<boolean>`coalesce((
    select true from ${table}
    where ${filter}
    order by ${orderBy}
    limit 1
  ), false)`;
}
