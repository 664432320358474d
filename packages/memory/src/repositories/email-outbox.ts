import {
  type ISODateTime,
  MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
  type MikaEmailCompletion,
  type MikaEmailOutboxPort,
  type MikaEmailOutboxRecord,
  type MikaRowRead,
  recordOrThrow,
} from "@mika-maintenance/core";
import { backlogFigure, copy, insertNew, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";
import { readRow } from "../schema/read-row.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows, subjectColumns } from "./erasure-subject.ts";
import {
  clearLease,
  heldRow,
  type LeaseGrant,
  leasedTable,
  leaseLapsed,
  reclaimExhausted,
  takeLease,
} from "./leased-rows.ts";

/** The `skipReason` of a queued or failed email an erasure stopped. */
export const ERASED_EMAIL_SKIP_REASON =
  "Erased by an account-delete request before it was sent; contents redacted.";

const REDACTED = "[redacted]";

const EMAIL_TIMES = [
  "createdAt",
  "updatedAt",
  "nextAttemptAt",
  "leasedAt",
  "leaseExpiresAt",
  "sentAt",
  "redactedAt",
];

/** One stored email as a record, or as an unreadable row naming the field. */
export function readEmailRow(email: MikaEmailOutboxRecord): MikaRowRead<MikaEmailOutboxRecord> {
  return readRow("emails", email, {
    times: EMAIL_TIMES,
    nullable: EMAIL_TIMES.filter((field) => field !== "createdAt" && field !== "updatedAt"),
    objects: ["metadata"],
  });
}

function isDue(email: MikaEmailOutboxRecord, now: ISODateTime): boolean {
  return (
    (email.status === "queued" || email.status === "failed") &&
    leaseLapsed(email, now) &&
    email.attemptCount < email.maxAttempts &&
    (email.nextAttemptAt === null || email.nextAttemptAt <= now)
  );
}

function dueAt(email: MikaEmailOutboxRecord): ISODateTime {
  return email.nextAttemptAt ?? email.createdAt;
}

/** The outbox part of `repositories.ops`. */
export function createMemoryEmailOutbox(state: MemoryState): MikaEmailOutboxPort {
  const emails = state.tables.emails;
  const leased = leasedTable(emails, "queued");

  function dueEmails(now: ISODateTime): MikaEmailOutboxRecord[] {
    return sortRows(
      [...emails.values()].filter((email) => isDue(email, now)),
      (email) => [dueAt(email), email.id],
    );
  }

  /** The email when `leaseKey` still holds it, else `undefined`. */
  function heldBy(emailId: string, leaseKey: string): MikaEmailOutboxRecord | undefined {
    return heldRow(emails, emailId, leaseKey, "queued");
  }

  function lease(email: MikaEmailOutboxRecord, grant: Omit<LeaseGrant, "status">): void {
    takeLease(email, { ...grant, status: "queued" });
    email.lastError = null;
  }

  /** Applies one completion under its lease; the updated email, or `null` when the lease was lost. */
  function settle(completion: MikaEmailCompletion, now: ISODateTime): MikaEmailOutboxRecord | null {
    const email = heldBy(completion.emailId, completion.leaseKey);
    if (!email) return null;
    if (completion.outcome === "sent") {
      email.status = "sent";
      email.sentAt = now;
      email.providerMessageId = completion.providerMessageId ?? null;
    } else if (completion.outcome === "failed") {
      email.status = "failed";
      email.lastError = completion.error;
      email.nextAttemptAt = portInput.optionalTime(completion.nextAttemptAt, "nextAttemptAt");
    } else if (completion.outcome === "skipped") {
      email.status = "skipped";
      email.skipReason = completion.reason;
    } else {
      email.attemptCount = Math.max(0, email.attemptCount - 1);
    }
    clearLease(email);
    email.updatedAt = now;
    return copy(email);
  }

  return {
    async enqueueEmail(input) {
      return insertNew(state, "emails", input, (id) => ({
        id,
        status: "queued" as const,
        to: portInput.requireText(input.to, "to"),
        subject: portInput.requireString(input.subject, "subject"),
        text: input.text ?? null,
        html: input.html ?? null,
        ...subjectColumns(input),
        metadata: copy(input.metadata ?? {}),
        attemptCount: 0,
        maxAttempts: portInput.requireWholeNumber(
          input.maxAttempts ?? MIKA_DEFAULT_EMAIL_MAX_ATTEMPTS,
          "maxAttempts",
          1,
        ),
        nextAttemptAt: portInput.optionalTime(input.nextAttemptAt, "nextAttemptAt"),
        leaseKey: null,
        leasedAt: null,
        leaseExpiresAt: null,
        lastError: null,
        sentAt: null,
        providerMessageId: null,
        skipReason: null,
        redactedAt: null,
      }));
    },

    async getEmail(emailId) {
      const email = emails.get(emailId);
      return email ? recordOrThrow(readEmailRow(copy(email))) : null;
    },

    async listDueEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit);
      return dueEmails(now)
        .slice(0, limit)
        .map((email) => readEmailRow(copy(email)));
    },

    async setAsideUnreadableEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      const email = emails.get(input.emailId);
      if (!email || (email.status !== "queued" && email.status !== "failed")) return false;
      email.status = "failed";
      email.lastError = portInput.requireText(input.error, "error");
      email.nextAttemptAt = null;
      email.attemptCount = Math.max(email.attemptCount, email.maxAttempts);
      clearLease(email);
      email.updatedAt = now;
      return true;
    },

    async tryLeaseEmail(input) {
      return leased.take(input.emailId, input, isDue, (email) => {
        email.lastError = null;
      });
    },

    async extendEmailLease(input) {
      return leased.extend(portInput.requireLeaseExtension(input, "emailId"));
    },

    async claimDueEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      const leaseExpiresAt = portInput.requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      const leaseKey = portInput.requireText(input.leaseKey, "leaseKey");
      const limit = portInput.requireLimit(input.limit);
      const { batch, hasMore } = takeBatch(dueEmails(now), limit);
      for (const email of batch) {
        lease(email, { now, leaseKey: `${leaseKey}:${email.id}`, leaseExpiresAt });
      }
      return { emails: batch.map((email) => readEmailRow(copy(email))), hasMore };
    },

    async completeEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      // Checked whole before any row changes, so a bad entry never half-writes a batch.
      for (const completion of input.completions) {
        if (completion.outcome === "failed")
          portInput.optionalTime(completion.nextAttemptAt, "nextAttemptAt");
      }
      return input.completions.map((completion) => settle(completion, now));
    },

    // The single-email outcomes are one-entry batches of completeEmails, settled the same way.
    async completeEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      return settle({ ...input, outcome: "sent" }, now);
    },

    async markEmailDelivered(input) {
      const now = portInput.requireTime(input.now, "now");
      const email = emails.get(input.emailId);
      if (!email) return null;
      if (email.status !== "sent") {
        email.status = "sent";
        email.sentAt = now;
        email.providerMessageId = input.providerMessageId ?? email.providerMessageId;
        email.lastError = null;
        clearLease(email);
        email.updatedAt = now;
      }
      return copy(email);
    },

    async failEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      portInput.optionalTime(input.nextAttemptAt, "nextAttemptAt");
      return settle({ ...input, outcome: "failed" }, now);
    },

    async skipEmail(input) {
      const now = portInput.requireTime(input.now, "now");
      return settle({ ...input, outcome: "skipped" }, now);
    },

    async reclaimExhaustedEmails(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit);
      return reclaimExhausted(
        emails.values(),
        { now, limit, status: "queued" },
        (email) => email.lastError === null,
        (email) => {
          email.status = "failed";
          email.lastError = input.error;
        },
      );
    },

    async redactEmailsForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      return eraseSubjectRows(
        emails.values(),
        input,
        (email) => email.redactedAt === null,
        (email) => {
          if (email.status === "queued" || email.status === "failed") {
            email.status = "skipped";
            email.skipReason = ERASED_EMAIL_SKIP_REASON;
          }
          email.to = `redacted-${email.id}@redacted.invalid`;
          email.subject = REDACTED;
          email.text = email.text === null ? null : REDACTED;
          email.html = email.html === null ? null : REDACTED;
          email.metadata = {};
          email.userId = null;
          email.emailHash = null;
          // A provider error may echo the recipient address.
          email.lastError = email.lastError === null ? null : REDACTED;
          clearLease(email);
          email.redactedAt = now;
          email.updatedAt = now;
        },
      );
    },

    async describeEmailBacklog(input) {
      const now = portInput.requireTime(input.now, "now");
      return backlogFigure(dueEmails(now).map(dueAt));
    },
  };
}
