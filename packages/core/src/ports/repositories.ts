import type { MikaAccountRepository } from "./account.ts";
import type { MikaAcpSessionStore } from "./acp-sessions.ts";
import type { MikaEphemeralRepository } from "./ephemeral.ts";
import type { MikaLeadershipPort } from "./leadership.ts";
import type { MikaLedgerRepository } from "./ledger.ts";
import type { MikaOpsRepository } from "./ops.ts";
import type { MikaRuntimeStatePort } from "./runtime-state.ts";
import type { MikaSessionRepository } from "./session.ts";
import type { MikaStockRepository } from "./stock.ts";
import type { MikaStorePort } from "./store.ts";

/** Every port a storage adapter provides. Hosts may wire any subset into the runner. */
export interface MikaRepositories {
  ephemeral: MikaEphemeralRepository;
  ops: MikaOpsRepository;
  account: MikaAccountRepository;
  ledger: MikaLedgerRepository;
  session: MikaSessionRepository;
  stock: MikaStockRepository;
  acpSessions: MikaAcpSessionStore;
  leadership: MikaLeadershipPort;
  runtimeState: MikaRuntimeStatePort;
  /**
   * Optional: what the adapter can do across its own ports (one-round-trip due-work probe,
   * one-transaction erasure). Without it every task runs port by port.
   */
  store?: MikaStorePort;
}

/** Migration bookkeeping every database adapter reports. */
export interface MikaMigrationStatus {
  applied: { name: string; appliedAt: string }[];
  pending: string[];
}

/** What an adapter factory returns: every port plus schema management and shutdown. */
export interface MikaStorageAdapter extends MikaRepositories {
  /** Applies pending migrations; safe when several processes call it at once. */
  migrate(): Promise<MikaMigrationStatus>;
  migrationStatus(): Promise<MikaMigrationStatus>;
  /** Closes only what the adapter opened itself. */
  close(): Promise<void>;
}
