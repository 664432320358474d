import type { MikaAnonymizeInput, MikaErasureSubject } from "@mika-maintenance/core";
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
} from "kysely";
import { portInput } from "../input.ts";
import type { MikaPostgresDatabase } from "../schema/tables.ts";

type SubjectColumns = "customer_id" | "user_id" | "email_hash";

/** True when the subject names anybody at all; an empty subject must match nothing. */
export function hasErasureSubject(subject: MikaErasureSubject): boolean {
  return Boolean(subject.customerId || subject.userId || subject.emailHash);
}

/** A new row's subject columns: each identity the input gives, else `null`. */
export function subjectColumns(input: Partial<MikaErasureSubject>) {
  return {
    customer_id: input.customerId ?? null,
    user_id: input.userId ?? null,
    email_hash: input.emailHash ?? null,
  };
}

/** `customer_id = … or user_id = … or email_hash = …`, for the identifiers the subject has. */
export function erasureMatch<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  subject: MikaErasureSubject,
  columns: readonly SubjectColumns[] = ["customer_id", "user_id", "email_hash"],
): Expression<SqlBool> {
  const values: Record<SubjectColumns, string | null> = {
    customer_id: subject.customerId,
    user_id: subject.userId,
    email_hash: subject.emailHash,
  };
  // biome-ignore lint/suspicious/noExplicitAny: every table passed here has these three columns.
  const anyEb = eb as unknown as ExpressionBuilder<any, any>;
  const conditions = columns
    .filter((column) => values[column])
    .map((column) => anyEb(column, "=", values[column]));
  return conditions.length === 0 ? anyEb.lit(false) : anyEb.or(conditions);
}

/**
 * Anonymizes every not yet anonymized row of the subject in `table`: `user_id` and
 * `email_hash` become the sentinel, `anonymized_at` and `updated_at` become `now`, and
 * `forget` (assignments, as SQL) drops whatever else of the person the row holds. An empty
 * subject changes nothing. Returns how many rows changed.
 */
export async function anonymizeSubjectRows(
  db: Kysely<MikaPostgresDatabase>,
  table: "entitlements" | "orders",
  input: MikaAnonymizeInput,
  forget?: RawBuilder<unknown>,
): Promise<number> {
  if (!hasErasureSubject(input)) return 0;
  const now = portInput.requireTime(input.now, "now");
  const result = await sql`
    update ${sql.table(table)}
    set ${forget ? sql`${forget}, ` : sql``}email_hash = ${input.sentinel},
      user_id = ${input.sentinel}, anonymized_at = ${now}, updated_at = ${now}
    where anonymized_at is null and ${subjectMatch(input)}
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** `erasureMatch` as SQL, for statements written as SQL. */
function subjectMatch(subject: MikaErasureSubject): RawBuilder<boolean> {
  const values: [string, string | null][] = [
    ["customer_id", subject.customerId],
    ["user_id", subject.userId],
    ["email_hash", subject.emailHash],
  ];
  const conditions = values
    .filter(([, value]) => value)
    .map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
  return conditions.length === 0
    ? sql<boolean>`false`
    : sql<boolean>`(${sql.join(conditions, sql` or `)})`;
}
