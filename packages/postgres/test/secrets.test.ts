import {
  closedPort,
  everythingAbout,
  expectSecretsKeptOutOfErrors,
  expectSecretsKeptOutOfRuns,
} from "@mika-maintenance/adapter-tests";
import { describe, expect, it } from "vitest";
import { createPostgresRepositories } from "../src/index.ts";

const PASSWORD = "pw-Zq81x";
const TOKEN = "tok-Yh27k";

describe("secrets in Postgres errors and logs", () => {
  it("never shows the URL's password in a thrown error or its causes", async () => {
    await expectSecretsKeptOutOfErrors(
      (port) => [
        `postgres://mika:${PASSWORD}@127.0.0.1:${port}/shop?sslpassword=${TOKEN}`,
        `postgresql://mika@127.0.0.1:${port}/shop?password=${PASSWORD}&application_name=mika`,
        `postgres://mika:${PASSWORD}@127.0.0.1:not-a-port/shop?password=${TOKEN}`,
      ],
      (connectionString) => createPostgresRepositories({ connectionString }),
      [PASSWORD, TOKEN],
    );
  });

  it("keeps it out of options errors, task failures and the runtime's JSON log", async () => {
    const options = { connectionString: `mysql://mika:${PASSWORD}@h/db?password=${TOKEN}` };
    const invalid = (() => {
      try {
        createPostgresRepositories(options);
      } catch (error) {
        return error;
      }
    })();
    expect(everythingAbout(invalid)).toMatch(/connectionString/);
    expect(everythingAbout(invalid)).not.toContain(PASSWORD);

    const port = await closedPort();
    const adapter = createPostgresRepositories({
      connectionString: `postgres://mika:${PASSWORD}@127.0.0.1:${port}/shop?password=${TOKEN}`,
    });
    await expectSecretsKeptOutOfRuns(adapter, [PASSWORD, TOKEN]);
    await adapter.close();
  });
});
