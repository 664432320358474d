import type { MikaSqliteMigration, MikaSqliteRowCheck } from "./migration.ts";

// SQLite cannot add a CHECK to an existing table, so the Postgres adapter's CHECKs (and the
// integer types Postgres enforces) become triggers that refuse the write with a message naming
// the table and column. Rows that already break a rule are reported by `migrate`, which then
// changes nothing: the operator fixes them, because guessing the right value would lose data.
// The value lists are frozen here on purpose: a shipped migration never changes.

interface ColumnRule {
  table: string;
  column: string;
  /** True for a value that breaks the rule; `$` stands for the value (`NEW."col"` or `"col"`). */
  violation: string;
  /** What the column allows, for the error message. */
  allowed: string;
}

/** The SQL that names a row of `table` in a report: its primary key. */
const ROW_KEY: Record<string, string> = {
  ephemeral_records: `"kind" || '/' || "key"`,
  leadership_leases: `"name"`,
  runtime_heartbeats: `"instance_id"`,
};

function oneOf(table: string, column: string, values: readonly string[]): ColumnRule {
  return {
    table,
    column,
    violation: `$ not in (${values.map((value) => `'${value}'`).join(", ")})`,
    allowed: `one of ${values.join(", ")}`,
  };
}

function wholeNumber(table: string, column: string, minimum?: number): ColumnRule {
  return {
    table,
    column,
    violation:
      minimum === undefined ? `typeof($) <> 'integer'` : `typeof($) <> 'integer' or $ < ${minimum}`,
    allowed: minimum === undefined ? "a whole number" : `a whole number >= ${minimum}`,
  };
}

const RULES: readonly ColumnRule[] = [
  oneOf("email_outbox", "status", ["queued", "sent", "failed", "skipped"]),
  wholeNumber("email_outbox", "attempt_count"),
  wholeNumber("email_outbox", "max_attempts"),
  oneOf("workflows", "status", ["queued", "running", "completed", "failed"]),
  wholeNumber("workflows", "attempt_count"),
  wholeNumber("workflows", "max_attempts"),
  oneOf("account_delete_requests", "status", ["queued", "completed", "failed"]),
  wholeNumber("account_delete_requests", "error_count"),
  oneOf("account_exports", "status", ["pending", "ready", "expired"]),
  oneOf("subscriptions", "status", [
    "active",
    "trialing",
    "past_due",
    "paused",
    "cancelled",
    "expired",
  ]),
  oneOf("licenses", "status", ["active", "revoked"]),
  wholeNumber("orders", "total_minor"),
  oneOf("carts", "status", ["open", "checkout_pending", "completed", "abandoned"]),
  wholeNumber("stock_items", "quantity_on_hand"),
  wholeNumber("stock_items", "quantity_reserved", 0),
  wholeNumber("stock_reservations", "quantity", 1),
  oneOf("stock_reservations", "status", ["active", "expired", "released", "consumed"]),
  oneOf("ephemeral_records", "kind", ["token", "rate_limit", "lock", "nonce", "cache_marker"]),
  oneOf("acp_sessions", "status", [
    "not_ready_for_payment",
    "ready_for_payment",
    "in_progress",
    "completed",
    "canceled",
    "expired",
  ]),
  wholeNumber("acp_sessions", "version"),
  wholeNumber("leadership_leases", "term"),
  wholeNumber("runtime_heartbeats", "pid"),
  {
    table: "runtime_heartbeats",
    column: "is_leader",
    // Numbers: a trigger's NEW value has the column's affinity applied, but no affinity of
    // its own, so it would never equal the text '1'.
    violation: "$ not in (0, 1)",
    allowed: "0 or 1",
  },
  oneOf("lane_runs", "status", ["completed", "failed", "skipped", "abandoned"]),
];

function on(rule: ColumnRule, value: string): string {
  return rule.violation.replaceAll("$", value);
}

function triggers(p: string, rule: ColumnRule): string[] {
  const table = `${p}${rule.table}`;
  // Literal only: RAISE takes no expression. The prefix is letters, digits and `_`.
  const message = `${table}.${rule.column} must be ${rule.allowed}`.replaceAll("'", "''");
  const body = `BEGIN SELECT RAISE(ABORT, '${message}'); END`;
  const condition = on(rule, `NEW."${rule.column}"`);
  const name = `${table}_${rule.column}_check`;
  return [
    `CREATE TRIGGER IF NOT EXISTS "${name}_insert" BEFORE INSERT ON "${table}"
      WHEN ${condition} ${body}`,
    `CREATE TRIGGER IF NOT EXISTS "${name}_update" BEFORE UPDATE OF "${rule.column}" ON "${table}"
      WHEN ${condition} ${body}`,
  ];
}

function check(p: string, rule: ColumnRule): MikaSqliteRowCheck {
  const key = ROW_KEY[rule.table] ?? `"id"`;
  return {
    table: `${p}${rule.table}`,
    column: rule.column,
    allowed: rule.allowed,
    sql: `SELECT ${key} AS row_key, quote("${rule.column}") AS value FROM "${p}${rule.table}"
      WHERE ${on(rule, `"${rule.column}"`)} ORDER BY rowid`,
  };
}

/** The Postgres adapter's CHECKs (and integer types) on libSQL, for new and existing files. */
export const checkConstraintsMigration: MikaSqliteMigration = {
  name: "0002_check_constraints",
  rowChecks: (p) => RULES.map((rule) => check(p, rule)),
  up: (p) => RULES.flatMap((rule) => triggers(p, rule)),
};
