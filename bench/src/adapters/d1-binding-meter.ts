import type { MikaD1Binding } from "@mika-maintenance/d1";

/** One call that went to D1: how long it took and whether it committed a write. */
export interface D1Call {
  ms: number;
  commits: number;
}

/** The statement calls of D1's API that each send one request to the database. */
const SENDING_CALLS = new Set(["run", "all", "first", "raw"]);

interface D1Statement {
  bind(...values: unknown[]): D1Statement;
}

/**
 * `binding` with every request it sends to D1 reported to `onCall`: a statement's
 * `run`/`all`/`first`/`raw` is one round trip, and a `batch()` is one round trip whatever it
 * holds (D1 runs it as one transaction). A write outside a batch, or a batch holding a write,
 * commits once (D1 has no interactive transactions). `prepare` and `bind` send nothing.
 */
export function meterD1Binding(
  binding: MikaD1Binding,
  onCall: (call: D1Call) => void,
  writes: (sqlText: string) => boolean,
): MikaD1Binding {
  /** The real statement behind each wrapper, for `batch()`, which wants the binding's own. */
  const unwrapped = new WeakMap<object, D1Statement>();
  const statementText = new WeakMap<object, string>();
  const timed = async <T>(send: () => Promise<T>, commits: number): Promise<T> => {
    const started = performance.now();
    try {
      return await send();
    } finally {
      onCall({ ms: performance.now() - started, commits });
    }
  };
  const wrap = (statement: D1Statement, sqlText: string): D1Statement => {
    const wrapper = new Proxy(statement as object, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== "function") return value;
        const name = String(property);
        if (name === "bind") {
          return (...values: unknown[]) => wrap(statement.bind(...values), sqlText);
        }
        if (!SENDING_CALLS.has(name)) return value.bind(target);
        return (...args: unknown[]) =>
          timed(() => value.apply(target, args) as Promise<unknown>, Number(writes(sqlText)));
      },
    }) as D1Statement;
    unwrapped.set(wrapper, statement);
    statementText.set(wrapper, sqlText);
    return wrapper;
  };
  return {
    prepare: (sqlText: string) => wrap(binding.prepare(sqlText) as D1Statement, sqlText),
    batch: (statements: unknown[]) => {
      const real = statements.map((statement) => unwrapped.get(statement as object) ?? statement);
      const wrote = statements.some((statement) =>
        writes(statementText.get(statement as object) ?? ""),
      );
      return timed(() => binding.batch(real), Number(wrote));
    },
  };
}
