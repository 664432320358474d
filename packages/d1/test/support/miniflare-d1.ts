import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import type { MikaD1Binding } from "../../src/index.ts";

/** How many bindings the test database has: the concurrency groups open one per runner. */
export const D1_BINDING_COUNT = 5;

/**
 * One workerd process (through miniflare's Node API) holding one local D1 database, reached
 * through `D1_BINDING_COUNT` bindings: `DB_1` … `DB_5`, all with the same database id, as
 * several Workers bound to one database would.
 */
export interface LocalD1 {
  bindings: MikaD1Binding[];
  dispose(): Promise<void>;
}

export async function startLocalD1(): Promise<LocalD1> {
  const names = Array.from({ length: D1_BINDING_COUNT }, (_, index) => `DB_${index + 1}`);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch: () => new Response('mika-maintenance D1 tests') }",
      compatibilityDate: "2026-10-01",
      d1Databases: Object.fromEntries(names.map((name) => [name, "mika-maintenance-test"])),
    }),
  );
  const bindings = await Promise.all(
    names.map(async (name) => (await mf.getD1Database(name)) as unknown as MikaD1Binding),
  );
  return { bindings, dispose: () => mf.dispose() };
}

/** D1's statement API, as the backdoor and the tests use it directly. */
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[]; meta: { changes: number } }>;
  run(): Promise<{ meta: { changes: number } }>;
}

/** A raw statement through `binding`, outside the adapter. */
export function statement(binding: MikaD1Binding, sql: string, args: readonly unknown[] = []) {
  const prepared = binding.prepare(sql) as D1Statement;
  return args.length > 0 ? prepared.bind(...args) : prepared;
}
