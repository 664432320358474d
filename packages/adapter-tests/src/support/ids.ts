import { randomUUID } from "node:crypto";

/**
 * A random id made of a letter prefix and hex digits only, so that string order is the same in
 * JavaScript and in any database collation.
 */
export function uniqueId(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll("-", "")}`;
}

/** Sorts ids the way the ports order ties (plain code-point order). */
export function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
