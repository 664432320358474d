import type { MikaSubscriptionStatus } from "./account.ts";
import type { MikaAccountExportStatus } from "./account-exports.ts";
import type { MikaAcpSessionStatus } from "./acp-sessions.ts";
import type { MikaLaneRunStatus } from "./runtime-state.ts";
import type { MikaCartStatus } from "./session.ts";

// Each list is derived from a record over the status union, so a status added to a union is
// a type error here until it is listed — and so in every adapter's validation and CHECK.
function statusesOf<T extends string>(all: Record<T, true>): readonly T[] {
  return Object.keys(all) as T[];
}

/** Every account-export status. */
export const MIKA_ACCOUNT_EXPORT_STATUSES = statusesOf<MikaAccountExportStatus>({
  pending: true,
  ready: true,
  expired: true,
});

/** Every ACP checkout-session status. */
export const MIKA_ACP_SESSION_STATUSES = statusesOf<MikaAcpSessionStatus>({
  not_ready_for_payment: true,
  ready_for_payment: true,
  in_progress: true,
  completed: true,
  canceled: true,
  expired: true,
});

/** Every cart status. */
export const MIKA_CART_STATUSES = statusesOf<MikaCartStatus>({
  open: true,
  checkout_pending: true,
  completed: true,
  abandoned: true,
});

/** Every lane-run status. */
export const MIKA_LANE_RUN_STATUSES = statusesOf<MikaLaneRunStatus>({
  completed: true,
  failed: true,
  skipped: true,
  abandoned: true,
});

/** Every subscription status. */
export const MIKA_SUBSCRIPTION_STATUSES = statusesOf<MikaSubscriptionStatus>({
  active: true,
  trialing: true,
  past_due: true,
  paused: true,
  cancelled: true,
  expired: true,
});
