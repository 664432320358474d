import type { ISODateTime } from "../time.ts";
import type { MikaErasureSubject } from "./email-outbox.ts";

/** Where a personal-data export stands. */
export type MikaAccountExportStatus = "pending" | "ready" | "expired";

/** A personal-data export a person asked for (GDPR access request). */
export interface MikaAccountExportRecord {
  id: string;
  customerId: string | null;
  userId: string | null;
  status: MikaAccountExportStatus;
  /** Where the export file lives (object-store key); removed on erasure. */
  artifactRef: string | null;
  /** Hash of the download token; removed on erasure. */
  downloadTokenHash: string | null;
  expiresAt: ISODateTime | null;
  createdAt: ISODateTime;
  updatedAt: ISODateTime;
}

/** What `createAccountExport` takes. */
export interface MikaCreateAccountExportInput {
  id?: string;
  customerId?: string | null;
  userId?: string | null;
  status?: MikaAccountExportStatus;
  artifactRef?: string | null;
  downloadTokenHash?: string | null;
  expiresAt?: ISODateTime | null;
  now: ISODateTime;
}

/** Account export storage. */
export interface MikaAccountExportPort {
  createAccountExport(input: MikaCreateAccountExportInput): Promise<MikaAccountExportRecord>;
  getAccountExport(exportId: string): Promise<MikaAccountExportRecord | null>;
  /**
   * Erasure: exports of the customer or user that still hold an artifact or token are expired
   * now (`status = expired`, `expiresAt = now`) with `artifactRef` and `downloadTokenHash`
   * removed. Returns rows changed; a second call returns 0.
   */
  redactAccountExportsForAccountDelete(
    input: MikaErasureSubject & { now: ISODateTime },
  ): Promise<number>;
}
