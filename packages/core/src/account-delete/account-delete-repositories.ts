import type { MikaAcpSessionStore } from "../ports/acp-sessions.ts";
import type { MikaRepositories } from "../ports/repositories.ts";
import type { MikaStorePort } from "../ports/store.ts";

/**
 * The ports an erasure touches. `acpSessions` is optional: without it (or without its
 * `deleteSessionsForAccountDelete`) the ACP step records 0 (decision 0011). With a `store`
 * that serves every one of them and has `transaction`, each request is erased in one
 * transaction (decision 0026).
 */
export type MikaAccountDeleteRepositories = Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session"
> & {
  acpSessions?: Pick<MikaAcpSessionStore, "deleteSessionsForAccountDelete"> | undefined;
  store?: MikaStorePort | undefined;
};

export const ACCOUNT_DELETE_PORTS = [
  "ops",
  "ephemeral",
  "stock",
  "account",
  "ledger",
  "session",
] as const;
