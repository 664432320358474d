import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

// The native driver @libsql/client itself uses for files (a dependency of the client).
const requireFromClient = createRequire(createRequire(import.meta.url).resolve("@libsql/client"));
const NativeDatabase = requireFromClient("libsql") as new (
  path: string,
  options?: { timeout?: number },
) => NativeConnection;

interface NativeStatement {
  raw(toggle?: boolean): NativeStatement;
  safeIntegers(toggle?: boolean): NativeStatement;
  columns(): { name: string; type: string | null }[];
  all(args: unknown): unknown[][];
  run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
}
interface NativeConnection {
  prepare(sql: string): NativeStatement;
  close(): void;
  readonly inTransaction: boolean;
}

type HranaValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

interface HranaStmt {
  sql?: string;
  sql_id?: number;
  args?: HranaValue[];
  named_args?: { name: string; value: HranaValue }[];
  want_rows?: boolean;
}

type HranaCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: HranaCond }
  | { type: "and" | "or"; conds: HranaCond[] }
  | { type: "is_autocommit" };

interface HranaRequest {
  type: string;
  stmt?: HranaStmt;
  batch?: { steps: { condition?: HranaCond | null; stmt: HranaStmt }[] };
  sql?: string;
  sql_id?: number;
}

class HranaError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

function fromHrana(value: HranaValue): unknown {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value);
    case "float":
      return value.value;
    case "text":
      return value.value;
    case "blob":
      return Buffer.from(value.base64, "base64");
  }
}

function toHrana(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? { type: "integer", value: String(value) }
      : { type: "float", value };
  }
  if (typeof value === "string") return { type: "text", value };
  if (Buffer.isBuffer(value)) return { type: "blob", base64: value.toString("base64") };
  return { type: "text", value: String(value) };
}

/**
 * The server's one connection, shared by every stream. A stream that opens a transaction owns
 * it until the transaction ends; every other stream waits for its turn, as a connection of
 * sqld waits (busy timeout) for another connection's write lock. Waiting asynchronously keeps
 * the event loop free for the owner's next request.
 */
class Connection {
  readonly native: NativeConnection;
  #owner: Stream | null = null;
  #waiters: (() => void)[] = [];

  constructor(path: string) {
    this.native = new NativeDatabase(path);
  }

  async acquire(stream: Stream): Promise<void> {
    while (this.#owner !== null && this.#owner !== stream) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#owner = stream;
  }

  /** Lets the next stream in once `stream` is outside a transaction. */
  release(stream: Stream): void {
    if (this.#owner !== stream || this.native.inTransaction) return;
    this.#owner = null;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Ends whatever `stream` left open (a dropped stream rolls back, as on sqld). */
  abandon(stream: Stream): void {
    if (this.#owner !== stream) return;
    if (this.native.inTransaction) this.native.prepare("ROLLBACK").run([]);
    this.release(stream);
  }
}

/** One Hrana stream: a sequence of requests sharing transaction state. */
class Stream {
  readonly sqls = new Map<number, string>();
  readonly connection: Connection;

  constructor(connection: Connection) {
    this.connection = connection;
  }

  async execute(stmt: HranaStmt) {
    const sql = stmt.sql ?? this.sqls.get(stmt.sql_id ?? -1);
    if (sql === undefined) throw new HranaError("Unknown SQL id", "SQL_NOT_FOUND");
    const named = Object.fromEntries(
      (stmt.named_args ?? []).map(({ name, value }) => [
        name.replace(/^[:@$]/, ""),
        fromHrana(value),
      ]),
    );
    const args = stmt.named_args?.length ? named : (stmt.args ?? []).map(fromHrana);
    await this.connection.acquire(this);
    try {
      return this.executeOnce(sql, args);
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? "");
      throw new HranaError((error as Error).message, code || "SQLITE_ERROR");
    } finally {
      this.connection.release(this);
    }
  }

  private executeOnce(sql: string, args: unknown) {
    const statement = this.connection.native.prepare(sql);
    statement.safeIntegers(true);
    let returnsRows = true;
    try {
      statement.raw(true);
    } catch {
      returnsRows = false;
    }
    if (returnsRows) {
      const cols = statement
        .columns()
        .map((column) => ({ name: column.name, decltype: column.type }));
      const rows = statement.all(args).map((row) => row.map(toHrana));
      return { cols, rows, affected_row_count: 0, last_insert_rowid: null };
    }
    const info = statement.run(args);
    return {
      cols: [],
      rows: [],
      affected_row_count: info.changes,
      last_insert_rowid: String(info.lastInsertRowid),
    };
  }

  isTrue(cond: HranaCond, results: unknown[], errors: unknown[]): boolean {
    switch (cond.type) {
      case "ok":
        return results[cond.step] != null;
      case "error":
        return errors[cond.step] != null;
      case "not":
        return !this.isTrue(cond.cond, results, errors);
      case "and":
        return cond.conds.every((inner) => this.isTrue(inner, results, errors));
      case "or":
        return cond.conds.some((inner) => this.isTrue(inner, results, errors));
      case "is_autocommit":
        return !this.connection.native.inTransaction;
    }
  }

  async handle(request: HranaRequest): Promise<Record<string, unknown>> {
    switch (request.type) {
      case "execute":
        return { type: "execute", result: await this.execute(request.stmt!) };
      case "batch": {
        const results: unknown[] = [];
        const errors: unknown[] = [];
        for (const step of request.batch!.steps) {
          if (step.condition && !this.isTrue(step.condition, results, errors)) {
            results.push(null);
            errors.push(null);
            continue;
          }
          try {
            results.push(await this.execute(step.stmt));
            errors.push(null);
          } catch (error) {
            results.push(null);
            errors.push({ message: (error as Error).message, code: (error as HranaError).code });
          }
        }
        return { type: "batch", result: { step_results: results, step_errors: errors } };
      }
      case "sequence":
        await this.execute({ sql: request.sql ?? this.sqls.get(request.sql_id ?? -1) ?? "" });
        return { type: "sequence" };
      case "store_sql":
        this.sqls.set(request.sql_id!, request.sql!);
        return { type: "store_sql" };
      case "close_sql":
        this.sqls.delete(request.sql_id!);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !this.connection.native.inTransaction };
      case "close":
        return { type: "close" };
      default:
        throw new HranaError(`Unsupported request ${request.type}`, "PROTOCOL_ERROR");
    }
  }
}

/** A running fake libSQL server over a local file. */
export interface FakeHranaServer {
  url: string;
  /** The bearer tokens requests carried. */
  readonly tokens: Set<string | undefined>;
  close(): Promise<void>;
}

/**
 * A small Hrana-over-HTTP (v2, JSON) server in front of a SQLite file: enough of sqld's
 * protocol for `@libsql/client`'s HTTP client, with one connection per stream so interactive
 * transactions behave as they do against a real server.
 */
export async function startFakeHranaServer(path: string): Promise<FakeHranaServer> {
  const connection = new Connection(path);
  const streams = new Map<string, Stream>();
  const tokens = new Set<string | undefined>();
  // Requests of one stream run in order, as sqld guarantees.
  const queues = new Map<string, Promise<unknown>>();

  async function pipeline(body: { baton: string | null; requests: HranaRequest[] }) {
    let baton = body.baton;
    let stream = baton ? streams.get(baton) : new Stream(connection);
    if (!stream) throw new HranaError("Unknown baton", "STREAM_EXPIRED");
    if (baton) streams.delete(baton);
    const results = [];
    let closed = false;
    for (const request of body.requests) {
      try {
        results.push({ type: "ok", response: await stream.handle(request) });
      } catch (error) {
        results.push({
          type: "error",
          error: { message: (error as Error).message, code: (error as HranaError).code },
        });
      }
      if (request.type === "close") closed = true;
    }
    if (closed) {
      connection.abandon(stream);
      baton = null;
    } else {
      baton = randomUUID();
      streams.set(baton, stream);
    }
    stream = undefined;
    return { baton, base_url: null, results };
  }

  const server: Server = createServer((request, response) => {
    tokens.add(request.headers.authorization);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v2/pipeline") {
        response.statusCode = 404;
        response.end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const key = body.baton ?? randomUUID();
      const previous = queues.get(key) ?? Promise.resolve();
      const done = previous.then(() => pipeline(body));
      queues.set(
        key,
        done.catch(() => undefined),
      );
      done.then(
        (result) => {
          queues.delete(key);
          response.setHeader("content-type", "application/json");
          response.end(JSON.stringify(result));
        },
        (error: unknown) => {
          queues.delete(key);
          response.statusCode = 400;
          response.end(JSON.stringify({ message: (error as Error).message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    async close() {
      for (const stream of streams.values()) connection.abandon(stream);
      streams.clear();
      connection.native.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
