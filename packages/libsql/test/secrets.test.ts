import {
  closedPort,
  everythingAbout,
  expectSecretsKeptOutOfErrors,
  expectSecretsKeptOutOfRuns,
} from "@mika-maintenance/adapter-tests";
import { describe, expect, it } from "vitest";
import { createLibsqlRepositories } from "../src/index.ts";

const PASSWORD = "pw-Zq81x";
const TOKEN = "tok-Yh27k";

describe("secrets in libSQL errors and logs", () => {
  it("never shows the URL's password or authToken in a thrown error or its causes", async () => {
    const { port, texts } = await expectSecretsKeptOutOfErrors(
      (port) => [
        `libsql://mika:${PASSWORD}@127.0.0.1:${port}?tls=0&authToken=${TOKEN}`,
        `http://mika:${PASSWORD}@127.0.0.1:${port}?authToken=${TOKEN}`,
        `ws://127.0.0.1:${port}?authToken=${TOKEN}`,
      ],
      (url) => createLibsqlRepositories({ url }),
      [PASSWORD, TOKEN],
    );
    // Still says where it tried to connect.
    for (const text of texts) expect(text).toContain(`127.0.0.1:${port}`);
  });

  it("keeps them out of task failures and the runtime's JSON log", async () => {
    const port = await closedPort();
    const adapter = createLibsqlRepositories({
      url: `libsql://mika:${PASSWORD}@127.0.0.1:${port}?tls=0`,
      authToken: TOKEN,
    });
    await expectSecretsKeptOutOfRuns(adapter, [PASSWORD, TOKEN]);
    await adapter.close();
  });
});

describe("secrets in libSQL options errors", () => {
  it("masks a rejected url's password and token", () => {
    const error = (() => {
      try {
        createLibsqlRepositories({ url: `mysql://mika:${PASSWORD}@h/db?authToken=${TOKEN}` });
      } catch (thrown) {
        return thrown;
      }
    })();
    const text = everythingAbout(error);
    expect(text).toContain("url");
    expect(text).toContain("mysql://mika:***@h/db?authToken=***");
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
  });
});
