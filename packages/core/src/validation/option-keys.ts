import { MikaMaintenanceOptionsError } from "../errors.ts";
import { describeValue } from "./describe-value.ts";

/**
 * Every key of an options type, as a table the compiler checks both ways: a new option that
 * is not listed, or a listed key that is not an option, fails to compile. The allowed keys in
 * error messages come from this table, so adding an option is one line here.
 */
export type MikaOptionKeyTable<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Throws `MikaMaintenanceOptionsError` for the first key of `options` that `allowed` does not
 * list, naming the key (with `prefix`, e.g. `retention.`), a likely intended key and every
 * allowed one. A misspelled option is an error, never silently ignored.
 */
export function rejectUnknownOptions(
  where: string,
  options: object,
  allowed: MikaOptionKeyTable<object> | Readonly<Record<string, true>>,
  prefix = "",
): void {
  const names = Object.keys(allowed);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(allowed, key)) continue;
    const guess = closestName(key, names);
    throw new MikaMaintenanceOptionsError(
      `${prefix}${key}`,
      `Unknown ${where} option "${prefix}${key}"${guess ? ` (did you mean "${prefix}${guess}"?)` : ""}. ` +
        `Allowed: ${[...names].sort().join(", ")}.`,
    );
  }
}

/** Throws unless `value` is a plain options object (or `undefined`, read as `{}`). */
export function requireOptionsObject(field: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be an options object, got ${describeValue(value)}.`,
    );
  }
  return value as Record<string, unknown>;
}

/** Validates a whole-number option against its documented range; names field and range. */
export function wholeNumberInRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new MikaMaintenanceOptionsError(
      field,
      `${field} must be a whole number from ${min} to ${max}, got ${describeValue(value)}.`,
    );
  }
  return value;
}

function closestName(key: string, names: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: string | null = null;
  // Up to two edits for short names, three for long ones (repository → repositories).
  let bestDistance = key.length >= 8 ? 4 : 3;
  for (const name of names) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
