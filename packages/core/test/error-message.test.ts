import { describe, expect, it } from "vitest";
import { errorMessage } from "../src/index.ts";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8080"), {
  code: "ECONNREFUSED",
});

describe("errorMessage reads the cause chain", () => {
  it("joins a driver's causes on one line and leaves out drizzle's query wrapper", () => {
    const query = new Error(
      'Failed query: \n  delete from "mika_email_outbox"\n  where "to" = ?\nparams: ann@example.test',
      { cause: new TypeError("fetch failed", { cause: refused }) },
    );

    expect(errorMessage(query)).toBe("fetch failed: connect ECONNREFUSED 127.0.0.1:8080");
  });

  it("stops where an error already quotes its cause", () => {
    const sqlite = new Error("SQLITE_ERROR: no such table: mika_stock_items");
    const explained = new Error(
      "The tables are missing (SQLITE_ERROR: no such table: mika_stock_items). Run migrate().",
      { cause: new Error("Failed query: select 1\nparams: ", { cause: sqlite }) },
    );

    expect(errorMessage(explained)).toBe(explained.message);
  });

  it("drops a cause that repeats the one above it", () => {
    const inner = new Error("no such table: mika_x");
    const outer = new Error("SQLITE_ERROR: no such table: mika_x", { cause: inner });

    expect(errorMessage(outer)).toBe("SQLITE_ERROR: no such table: mika_x");
  });

  it("lists the attempts of an AggregateError without a message", () => {
    const both = new AggregateError([refused, new Error("connect ECONNREFUSED ::1:8080")], "");

    expect(errorMessage(both)).toBe(
      "connect ECONNREFUSED 127.0.0.1:8080; connect ECONNREFUSED ::1:8080",
    );
  });

  it("masks each part on its own, so the separator survives a masked token", () => {
    const error = new Error("HTTP 401 for authToken=abc123", {
      cause: new Error("SERVER_ERROR: token=xyz rejected"),
    });

    expect(errorMessage(error)).toBe(
      "HTTP 401 for authToken=***: SERVER_ERROR: token=*** rejected",
    );
  });

  it("keeps the lines of a message of our own that has no cause", () => {
    expect(errorMessage(new Error("Invalid options:\n  - limit: must be 1 to 100000"))).toBe(
      "Invalid options:\n  - limit: must be 1 to 100000",
    );
  });
});
