import type { MikaErasureSubject } from "@mika-maintenance/core";
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";

type SubjectColumns = "customer_id" | "user_id" | "email_hash";

/** True when the subject names anybody at all; an empty subject must match nothing. */
export function hasErasureSubject(subject: MikaErasureSubject): boolean {
  return Boolean(subject.customerId || subject.userId || subject.emailHash);
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
