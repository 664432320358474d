import { createClient } from "@libsql/client";
import type { MikaStorageAdapter } from "@mika-maintenance/core";
import { createLibsqlRepositories } from "../../src/index.ts";

/**
 * An adapter over a client whose one connection skips fsync (`synchronous = OFF`), so tests
 * can seed thousands of rows through the ports without waiting on the disk for each.
 */
export async function openSeedingAdapter(
  url: string,
): Promise<{ adapter: MikaStorageAdapter; close(): Promise<void> }> {
  const client = createClient({ url, concurrency: 1 });
  await client.execute("PRAGMA synchronous = OFF");
  const adapter = createLibsqlRepositories({ client });
  return {
    adapter,
    async close() {
      await adapter.close();
      client.close();
    },
  };
}
