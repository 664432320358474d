import type { MikaAcpSessionStore } from "../ports/acp-sessions.ts";
import type { MikaRepositories } from "../ports/repositories.ts";

/**
 * The ports an erasure touches. `acpSessions` is optional: without it (or without its
 * `deleteSessionsForAccountDelete`) the ACP step records 0 (decision 0011).
 */
export type MikaAccountDeleteRepositories = Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session"
> & { acpSessions?: Pick<MikaAcpSessionStore, "deleteSessionsForAccountDelete"> | undefined };

export const ACCOUNT_DELETE_PORTS = [
  "ops",
  "ephemeral",
  "stock",
  "account",
  "ledger",
  "session",
] as const;
