import type {
  MikaAccountDeleteRequestRecord,
  MikaAccountDeleteStepName,
} from "../ports/account-delete-requests.ts";
import type { ISODateTime } from "../time.ts";
import type { MikaAccountDeleteRepositories } from "./account-delete-repositories.ts";
import { accountDeleteSentinel, accountDeleteTokenSubjects } from "./erasure-identity.ts";

type StepRun = (
  repositories: MikaAccountDeleteRepositories,
  request: MikaAccountDeleteRequestRecord,
  now: ISODateTime,
) => Promise<number>;

function subjectOf(request: MikaAccountDeleteRequestRecord) {
  return {
    customerId: request.customerId,
    userId: request.userId,
    emailHash: request.emailHash,
  };
}

function anonymizeInput(request: MikaAccountDeleteRequestRecord, now: ISODateTime) {
  return { ...subjectOf(request), sentinel: accountDeleteSentinel(request), now };
}

/** What each erasure step does, by name; run in `MIKA_ACCOUNT_DELETE_STEPS` order. */
export const ACCOUNT_DELETE_STEP_RUNS: Record<MikaAccountDeleteStepName, StepRun> = {
  tokensDeleted: (r, request) => {
    const subjectHashes = accountDeleteTokenSubjects(request);
    return subjectHashes.length === 0
      ? Promise.resolve(0)
      : r.ephemeral.deleteTokensBySubjectHashes({ subjectHashes });
  },
  reservationsReleased: (r, request, now) =>
    request.customerId
      ? r.stock.releaseActiveReservationsByCustomer({ customerId: request.customerId, now })
      : Promise.resolve(0),
  emailsRedacted: (r, request, now) =>
    r.ops.redactEmailsForAccountDelete({ ...subjectOf(request), now }),
  accountExportsRedacted: (r, request, now) =>
    r.ops.redactAccountExportsForAccountDelete({ ...subjectOf(request), now }),
  workflowsRedacted: (r, request, now) =>
    r.ops.redactWorkflowsForAccountDelete({ ...subjectOf(request), now }),
  webhookEventsRedacted: (r, request, now) =>
    r.ops.redactWebhookEventsForAccountDelete({ ...subjectOf(request), now }),
  acpSessionsDeleted: (r, request, now) => {
    const store = r.acpSessions;
    return typeof store?.deleteSessionsForAccountDelete === "function"
      ? store.deleteSessionsForAccountDelete({ ...subjectOf(request), now })
      : Promise.resolve(0);
  },
  ordersAnonymized: (r, request, now) =>
    r.ledger.anonymizeOrdersForAccountDelete(anonymizeInput(request, now)),
  entitlementsAnonymized: (r, request, now) =>
    r.account.anonymizeEntitlementsForAccountDelete(anonymizeInput(request, now)),
  licensesAnonymized: (r, request, now) =>
    r.account.anonymizeLicensesForAccountDelete(anonymizeInput(request, now)),
  customerAnonymized: (r, request, now) =>
    request.customerId
      ? r.account.anonymizeCustomerForAccountDelete(anonymizeInput(request, now))
      : Promise.resolve(0),
};
