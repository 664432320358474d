import type { MikaMetadata } from "@mika-maintenance/core";

/** A `timestamptz` as read back (pg gives `Date`; some parsers give strings) → canonical ISO. */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** A row's creation and last-change times, as every record reports them. */
export function timestampsOf(row: { created_at: Date | string; updated_at: Date | string }): {
  createdAt: string;
  updatedAt: string;
} {
  return { createdAt: toIso(row.created_at), updatedAt: toIso(row.updated_at) };
}

/** A row's erasure-subject columns, as every record carrying a subject reports them. */
export function subjectOf(row: {
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
}): { customerId: string | null; userId: string | null; emailHash: string | null } {
  return { customerId: row.customer_id, userId: row.user_id, emailHash: row.email_hash };
}

/** Like `toIso`, keeping `null`. */
export function toIsoOrNull(value: Date | string | null): string | null {
  return value === null ? null : toIso(value);
}

/** `integer`, `bigint` (a string from pg) or `numeric` → number. */
export function toNumber(value: number | string | bigint): number {
  return typeof value === "number" ? value : Number(value);
}

/**
 * A `jsonb` value as read back. The driver has already parsed it, so a string here is a JSON
 * string value, not text to parse again.
 */
export function fromJson<T>(value: unknown): T {
  return value as T;
}

/** Metadata-like `jsonb`: always an object. */
export function toMetadata(value: unknown): MikaMetadata {
  const parsed = fromJson<unknown>(value);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as MikaMetadata)
    : {};
}

/** A value for a `jsonb` column, sent as JSON text (pg would turn arrays into Postgres arrays). */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value ?? {});
}

/** Adds milliseconds to a canonical ISO timestamp. */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
