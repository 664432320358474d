import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  createPostgresRepositories,
  MikaPostgresOptionsError,
  parsePostgresOptions,
} from "../src/index.ts";

const URL = "postgres://postgres@127.0.0.1:5432/test";

function rejection(options: unknown): MikaPostgresOptionsError {
  try {
    createPostgresRepositories(options as never);
  } catch (error) {
    expect(error).toBeInstanceOf(MikaPostgresOptionsError);
    return error as MikaPostgresOptionsError;
  }
  throw new Error("the options were accepted");
}

describe("createPostgresRepositories options", () => {
  it("applies the defaults: schema public, prefix mika_, adaptive batches (no fixed size)", () => {
    const resolved = parsePostgresOptions({ connectionString: URL });
    expect(resolved).toMatchObject({ schema: "public", tablePrefix: "mika_" });
    expect(resolved.batchSize).toBeUndefined();
    expect(parsePostgresOptions({ connectionString: URL, batchSize: 700 }).batchSize).toBe(700);
  });

  it("accepts each connection source alone", () => {
    const pool = new pg.Pool({ connectionString: URL });
    const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    expect(parsePostgresOptions({ pool }).pool).toBe(pool);
    expect(parsePostgresOptions({ db }).db).toBe(db);
    expect(parsePostgresOptions({ connectionString: URL }).connectionString).toBe(URL);
  });

  it.each([
    ["no connection source", {}, "pool", /exactly one of pool/],
    [
      "two connection sources",
      { connectionString: URL, pool: { connect() {}, query() {} } },
      "connectionString",
      /exactly one of pool, connectionString or db; got pool and connectionString/,
    ],
    ["a pool that is not a pg Pool", { pool: { query: 1 } }, "pool", /pg Pool/],
    ["a db that is not Kysely", { db: {} }, "db", /Kysely instance/],
    ["a non-postgres URL", { connectionString: "mysql://x" }, "connectionString", /postgres:\/\//],
    [
      "a schema with a quote",
      { connectionString: URL, schema: 'x"; drop' },
      "schema",
      /identifier/,
    ],
    ["an upper-case schema", { connectionString: URL, schema: "Shop" }, "schema", /lowercase/],
    ["a pg_ schema", { connectionString: URL, schema: "pg_temp" }, "schema", /reserved/],
    ["a 64-byte schema", { connectionString: URL, schema: "s".repeat(64) }, "schema", /63/],
    [
      "a prefix with a dash",
      { connectionString: URL, tablePrefix: "mika-" },
      "tablePrefix",
      /identifier/,
    ],
    [
      "a prefix too long",
      { connectionString: URL, tablePrefix: "p".repeat(25) },
      "tablePrefix",
      /24/,
    ],
    [
      "a prefix that is a number",
      { connectionString: URL, tablePrefix: 5 },
      "tablePrefix",
      /string/,
    ],
    ["a fractional batch size", { connectionString: URL, batchSize: 2.5 }, "batchSize", /whole/],
    ["a zero batch size", { connectionString: URL, batchSize: 0 }, "batchSize", /at least 1/],
    [
      "an unknown option",
      { connectionString: URL, prefix: "x" },
      "prefix",
      /Unknown .* "prefix"; allowed/,
    ],
  ])("rejects %s, naming the field and what is allowed", (_, options, field, message) => {
    const error = rejection(options);
    expect(error.field).toBe(field);
    expect(error.code).toBe("MIKA_INVALID_OPTIONS");
    expect(error.message).toMatch(message);
  });

  it("rejects a missing options object", () => {
    expect(rejection(undefined).field).toBe("options");
  });

  it("accepts an empty prefix and the longest allowed identifiers", () => {
    const resolved = parsePostgresOptions({
      connectionString: URL,
      schema: `s${"x".repeat(62)}`,
      tablePrefix: `p${"x".repeat(23)}`,
    });
    expect(resolved.schema).toHaveLength(63);
    expect(parsePostgresOptions({ connectionString: URL, tablePrefix: "" }).tablePrefix).toBe("");
  });
});
