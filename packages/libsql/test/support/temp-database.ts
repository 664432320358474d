import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory with a database path in it, removed by `remove()`. */
export interface TempDatabase {
  dir: string;
  path: string;
  url: string;
  remove(): Promise<void>;
}

/** Creates a new, empty temp directory for one database file. */
export async function createTempDatabase(name = "mika.db"): Promise<TempDatabase> {
  const dir = await mkdtemp(join(tmpdir(), "mika-libsql-"));
  const path = join(dir, name);
  return {
    dir,
    path,
    url: `file:${path}`,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
