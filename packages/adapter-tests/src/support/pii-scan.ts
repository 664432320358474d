import type { MikaTableDump } from "../types.ts";

/** Where a searched string was found in a table dump. */
export interface DumpMatch {
  needle: string;
  table: string;
  row: number;
  /** Path inside the row, e.g. `customer_snapshot.email` or `metadata[2]`. */
  path: string;
}

/**
 * Finds every occurrence of each needle (case-insensitive substring) in every value of every
 * row: strings, JSON text, nested objects and arrays, and binary columns decoded as UTF-8.
 */
export function findInDump(dump: MikaTableDump, needles: readonly string[]): DumpMatch[] {
  const lowered = needles.map((needle) => [needle, needle.toLowerCase()] as const);
  const matches: DumpMatch[] = [];
  for (const [table, rows] of Object.entries(dump)) {
    rows.forEach((row, index) => {
      walk(row, "", (text, path) => {
        const haystack = text.toLowerCase();
        for (const [needle, lower] of lowered) {
          if (haystack.includes(lower)) matches.push({ needle, table, row: index, path });
        }
      });
    });
  }
  return matches;
}

/** True when `value` appears anywhere in the dump. */
export function dumpContains(dump: MikaTableDump, value: string): boolean {
  return findInDump(dump, [value]).length > 0;
}

function walk(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (value === null || value === undefined) return;
  if (typeof value === "string") {
    visit(value, path);
    return;
  }
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    visit(String(value), path);
    return;
  }
  if (value instanceof Date) {
    if (Number.isFinite(value.getTime())) visit(value.toISOString(), path);
    return;
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    visit(new TextDecoder().decode(value), path);
    return;
  }
  if (value instanceof Map) {
    for (const [key, entry] of value) {
      walk(key, `${path}<key>`, visit);
      walk(entry, `${path}.${String(key)}`, visit);
    }
    return;
  }
  if (value instanceof Set || Array.isArray(value)) {
    [...value].forEach((entry, index) => {
      walk(entry, `${path}[${index}]`, visit);
    });
    return;
  }
  if (typeof value === "object") {
    for (const [key, entry] of Object.entries(value)) {
      visit(key, path ? `${path}.<key:${key}>` : `<key:${key}>`);
      walk(entry, path ? `${path}.${key}` : key, visit);
    }
  }
}
