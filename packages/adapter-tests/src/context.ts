import type { MikaRepositories } from "@mika-maintenance/core";
import type { MikaConformanceConnection, MikaConformanceStore, MikaTableDump } from "./types.ts";

/** What every conformance test receives: a fresh store and helpers bound to it. */
export interface MikaConformanceContext {
  /** The fresh store of this test. */
  readonly store: MikaConformanceStore;
  /** Shorthand for `store.repositories`. */
  readonly repositories: MikaRepositories;
  /** Backdoor reader: every row of every table as really stored. */
  dumpTables(): Promise<MikaTableDump>;
  /**
   * `count` repositories on independent connections to the same store (the store's own
   * repositories when it has no `connect()`); closed automatically after the test.
   */
  connections(count: number): Promise<MikaRepositories[]>;
}

/** A context plus the cleanup the suite runs after each test. */
export interface MikaManagedContext {
  context: MikaConformanceContext;
  dispose(): Promise<void>;
}

/** Wraps a freshly created store into the context its tests use. */
export function createConformanceContext(store: MikaConformanceStore): MikaManagedContext {
  const opened: MikaConformanceConnection[] = [];
  const context: MikaConformanceContext = {
    store,
    repositories: store.repositories,
    // Copied at once so a store that hands out live rows cannot change an earlier snapshot.
    dumpTables: async () => structuredClone(await store.dumpTables()),
    async connections(count) {
      const result: MikaRepositories[] = [];
      for (let index = 0; index < count; index += 1) {
        if (!store.connect) {
          result.push(store.repositories);
          continue;
        }
        const connection = await store.connect();
        opened.push(connection);
        result.push(connection.repositories);
      }
      return result;
    },
  };
  return {
    context,
    async dispose() {
      const connections = opened.splice(0);
      try {
        await Promise.all(connections.map((connection) => connection.close()));
      } finally {
        await store.close();
      }
    },
  };
}
