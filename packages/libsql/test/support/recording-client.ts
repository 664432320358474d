import type { Client, InArgs, InStatement, Transaction, TransactionMode } from "@libsql/client";

/** A statement as the adapter sent it to libSQL. */
export interface RecordedStatement {
  sql: string;
  args: InArgs;
}

function normalize(statement: InStatement | string, args?: InArgs): RecordedStatement {
  if (typeof statement === "string") return { sql: statement, args: args ?? [] };
  return { sql: statement.sql, args: statement.args ?? [] };
}

function bindAll<T extends object>(target: T, property: string | symbol): unknown {
  const value = Reflect.get(target, property, target);
  return typeof value === "function" ? value.bind(target) : value;
}

/** Wraps a client so every statement it (or a transaction of it) executes is recorded. */
export function recordingClient(client: Client, recorded: RecordedStatement[]): Client {
  const wrapTransaction = (transaction: Transaction): Transaction =>
    new Proxy(transaction, {
      get(target, property) {
        if (property === "execute") {
          return (statement: InStatement | string, args?: InArgs) => {
            recorded.push(normalize(statement, args));
            return target.execute(statement as InStatement);
          };
        }
        // A write batch inside a transaction (the one-transaction erasure's stock release).
        if (property === "batch") {
          return (statements: (InStatement | string)[]) => {
            for (const statement of statements) recorded.push(normalize(statement, undefined));
            return target.batch(statements as InStatement[]);
          };
        }
        return bindAll(target, property);
      },
    });
  return new Proxy(client, {
    get(target, property) {
      if (property === "execute") {
        return (statement: InStatement | string, args?: InArgs) => {
          recorded.push(normalize(statement, args));
          return typeof statement === "string"
            ? target.execute(statement, args)
            : target.execute(statement);
        };
      }
      if (property === "transaction") {
        return async (mode?: TransactionMode) => wrapTransaction(await target.transaction(mode));
      }
      if (property === "batch") {
        return (statements: (InStatement | string)[], mode?: TransactionMode) => {
          for (const statement of statements) recorded.push(normalize(statement, undefined));
          return target.batch(statements as InStatement[], mode);
        };
      }
      return bindAll(target, property);
    },
  });
}
