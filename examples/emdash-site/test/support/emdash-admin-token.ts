import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createClient } from "@libsql/client";

/**
 * Makes a fresh EmDash site usable by an API client, as its setup wizard would: marks setup
 * complete, adds an admin user (role 50) and an API token with the `admin` scope, written into
 * EmDash's own tables. Returns the raw token for `Authorization: Bearer …`.
 */
export async function createAdminToken(emdashDatabaseUrl: string): Promise<string> {
  const client = createClient({ url: emdashDatabaseUrl });
  try {
    await client.execute("PRAGMA busy_timeout = 10000");
    const now = new Date().toISOString();
    const userId = randomUUID();
    const raw = `ec_pat_${randomBytes(32).toString("base64url")}`;
    // EmDash stores SHA-256 of the whole token, base64url without padding (@emdash-cms/auth).
    const hash = createHash("sha256").update(raw).digest("base64url");
    await client.batch(
      [
        {
          sql: "INSERT INTO options (name, value) VALUES ('emdash:setup_complete', 'true') ON CONFLICT (name) DO UPDATE SET value = 'true'",
          args: [],
        },
        {
          sql: "INSERT INTO users (id, email, name, role, email_verified, created_at, updated_at) VALUES (?, ?, ?, 50, 1, ?, ?)",
          args: [userId, `admin-${userId}@shop.example`, "Test Admin", now, now],
        },
        {
          sql: "INSERT INTO _emdash_api_tokens (id, name, token_hash, prefix, user_id, scopes, expires_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
          args: [randomUUID(), "e2e", hash, raw.slice(0, 11), userId, JSON.stringify(["admin"])],
        },
      ],
      "write",
    );
    return raw;
  } finally {
    client.close();
  }
}
