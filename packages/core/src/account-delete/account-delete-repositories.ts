import type { MikaRepositories } from "../ports/repositories.ts";

/** The ports an erasure touches. */
export type MikaAccountDeleteRepositories = Pick<
  MikaRepositories,
  "ops" | "ephemeral" | "stock" | "account" | "ledger" | "session"
>;

export const ACCOUNT_DELETE_PORTS = [
  "ops",
  "ephemeral",
  "stock",
  "account",
  "ledger",
  "session",
] as const;
