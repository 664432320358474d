import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Creates the folder of a `file:` database URL (relative to the working directory) so a fresh
 * clone needs no `mkdir`. Other URLs (`libsql://`, `http://`, `:memory:`) are left alone.
 */
export function ensureDatabaseDirectory(url: string): void {
  if (!url.startsWith("file:")) return;
  const path = url.startsWith("file://") ? fileURLToPath(url) : url.slice("file:".length);
  if (path === ":memory:" || path.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
}
