import { describe, expect, it } from "vitest";
import { errorMessage } from "../errors.ts";
import {
  isSecretParameterName,
  redactErrorSecrets,
  redactSecretFields,
  redactSecrets,
  redactUrl,
} from "./redact-secrets.ts";

describe("redactSecrets", () => {
  it.each([
    ["postgres://u:pw@db.example:5432/app", "postgres://u:***@db.example:5432/app"],
    ["postgresql://user:s3cr%40t@h/db", "postgresql://user:***@h/db"],
    ["libsql://u:pw@turso.example", "libsql://u:***@turso.example"],
    ["postgres://u@host/db?password=hunter2", "postgres://u@host/db?password=***"],
    [
      "postgres://h/db?sslmode=require&sslpassword=x1&user=u",
      "postgres://h/db?sslmode=require&sslpassword=***&user=u",
    ],
    ["libsql://db.turso.io?authToken=eyJhbGci.eyJ.sig", "libsql://db.turso.io?authToken=***"],
    [
      "https://x.example/cb#access_token=abc&state=1",
      "https://x.example/cb#access_token=***&state=1",
    ],
    [
      "wss://x?TOKEN=a&Key=b&apiKey=c&api_key=d&secret=e",
      "wss://x?TOKEN=***&Key=***&apiKey=***&api_key=***&secret=***",
    ],
    ["https://x?client_secret=a&page=2", "https://x?client_secret=***&page=2"],
  ])("masks %s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("masks secrets inside a driver message and keeps the rest", () => {
    const message =
      'connect ECONNREFUSED 127.0.0.1:1 (url "postgres://app:pw@127.0.0.1:1/db?password=p2&application_name=mika")';
    expect(redactSecrets(message)).toBe(
      'connect ECONNREFUSED 127.0.0.1:1 (url "postgres://app:***@127.0.0.1:1/db?password=***&application_name=mika")',
    );
  });

  it("masks libpq keyword/value strings, quoted or not", () => {
    expect(redactSecrets("host=h user=u password=abc dbname=d")).toBe(
      "host=h user=u password=*** dbname=d",
    );
    expect(redactSecrets("host=h password = 'a b c' port=5432")).toBe(
      "host=h password = *** port=5432",
    );
  });

  it("masks bearer tokens, authorization headers and JSON fields", () => {
    expect(redactSecrets("HTTP 401 (Bearer eyJhbGciOi.J9.x-y_z=)")).toBe("HTTP 401 (Bearer ***)");
    expect(redactSecrets("Authorization: Basic dXNlcjpwYXNz")).toBe("Authorization: ***");
    expect(redactSecrets('{"authToken":"abc","url":"file:x.db","password":"p\\"q"}')).toBe(
      '{"authToken":"***","url":"file:x.db","password":"***"}',
    );
  });

  it("leaves text without secrets alone", () => {
    const plain =
      'duplicate key value violates unique constraint "mika_email_outbox_pkey" Key (id)=(e1) already exists; limit=5 tokensDeleted=3';
    expect(redactSecrets(plain)).toBe(plain);
    expect(redactSecrets("postgres://u@h:5432/db?sslmode=require")).toBe(
      "postgres://u@h:5432/db?sslmode=require",
    );
    expect(redactSecrets("file:/var/lib/app@2/mika.db")).toBe("file:/var/lib/app@2/mika.db");
  });

  it("masks several URLs in one line", () => {
    expect(redactSecrets("from postgres://a:1@h1/db to postgres://b:2@h2/db?token=t")).toBe(
      "from postgres://a:***@h1/db to postgres://b:***@h2/db?token=***",
    );
  });
});

describe("redactUrl", () => {
  it("masks a password that holds unencoded / # @ characters", () => {
    expect(redactUrl("postgres://u:pa/ss#w@rd@host:5432/db?password=x")).toBe(
      "postgres://u:***@host:5432/db?password=***",
    );
  });

  it("keeps the host when the query holds an @", () => {
    expect(redactUrl("postgres://u:pw@host/db?application_name=a@b&authToken=t")).toBe(
      "postgres://u:***@host/db?application_name=a@b&authToken=***",
    );
  });

  it("handles URLs without user-info or without a scheme", () => {
    expect(redactUrl("libsql://db.example?authToken=t")).toBe("libsql://db.example?authToken=***");
    expect(redactUrl("file:local.db")).toBe("file:local.db");
    expect(redactUrl(":memory:")).toBe(":memory:");
  });
});

describe("isSecretParameterName", () => {
  it("matches the documented names in any case and separator style", () => {
    for (const name of [
      "password",
      "PASSWORD",
      "sslpassword",
      "authToken",
      "auth_token",
      "token",
      "key",
      "secret",
      "apikey",
      "api-key",
      "access_token",
      "refresh_token",
      "client_secret",
    ]) {
      expect(isSecretParameterName(name), name).toBe(true);
    }
    for (const name of ["user", "host", "sslmode", "keyset", "tokensDeleted", "limit"]) {
      expect(isSecretParameterName(name), name).toBe(false);
    }
  });
});

describe("redactSecretFields", () => {
  it("masks secret-named strings and secrets inside strings, keeps shape and numbers", () => {
    const record = {
      msg: "startup",
      databaseUrl: "postgres://u@h/db?password=pw",
      options: { authToken: "t", busyTimeoutMs: 5000, nested: ["Bearer abc"] },
      counters: { tokensDeleted: 2 },
    };
    expect(redactSecretFields(record)).toEqual({
      msg: "startup",
      databaseUrl: "postgres://u@h/db?password=***",
      options: { authToken: "***", busyTimeoutMs: 5000, nested: ["Bearer ***"] },
      counters: { tokensDeleted: 2 },
    });
    expect(record.options.authToken).toBe("t");
  });
});

describe("errorMessage", () => {
  it("masks secrets in the message of anything thrown", () => {
    expect(errorMessage(new Error("cannot reach postgres://u:pw@h/db?password=x"))).toBe(
      "cannot reach postgres://u:***@h/db?password=***",
    );
    expect(errorMessage("libsql://h?authToken=abc refused")).toBe(
      "libsql://h?authToken=*** refused",
    );
  });
});

describe("redactErrorSecrets", () => {
  it("masks message and stack down the cause chain, in place", () => {
    const inner = new TypeError(
      "Request cannot be constructed from a URL that includes credentials: https://u:pw@h/v2",
    );
    const outer = new Error("Failed query: select 1 (libsql://h?authToken=abc)", { cause: inner });
    const same = redactErrorSecrets(outer);
    expect(same).toBe(outer);
    expect(outer.message).toBe("Failed query: select 1 (libsql://h?authToken=***)");
    expect(inner.message).toContain("https://u:***@h/v2");
    expect(`${outer.stack}${inner.stack}`).not.toMatch(/pw|abc/);
  });

  it("leaves non-errors and clean errors untouched", () => {
    expect(redactErrorSecrets("plain")).toBe("plain");
    const clean = new Error("connect ECONNREFUSED 127.0.0.1:5432");
    const stack = clean.stack;
    redactErrorSecrets(clean);
    expect(clean.stack).toBe(stack);
  });
});
