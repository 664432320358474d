import type {
  MikaAccountExportStatus,
  MikaAcpSessionStatus,
  MikaCartStatus,
  MikaLaneRunStatus,
  MikaSubscriptionStatus,
} from "@mika-maintenance/core";

// Each list is derived from a record over the status union, so a status added in core is a
// type error here until it is listed.
function statusesOf<T extends string>(all: Record<T, true>): readonly T[] {
  return Object.keys(all) as T[];
}

export const ACCOUNT_EXPORT_STATUSES = statusesOf<MikaAccountExportStatus>({
  pending: true,
  ready: true,
  expired: true,
});

export const ACP_SESSION_STATUSES = statusesOf<MikaAcpSessionStatus>({
  not_ready_for_payment: true,
  ready_for_payment: true,
  in_progress: true,
  completed: true,
  canceled: true,
  expired: true,
});

export const CART_STATUSES = statusesOf<MikaCartStatus>({
  open: true,
  checkout_pending: true,
  completed: true,
  abandoned: true,
});

export const LANE_RUN_STATUSES = statusesOf<MikaLaneRunStatus>({
  completed: true,
  failed: true,
  skipped: true,
  abandoned: true,
});

export const SUBSCRIPTION_STATUSES = statusesOf<MikaSubscriptionStatus>({
  active: true,
  trialing: true,
  past_due: true,
  paused: true,
  cancelled: true,
  expired: true,
});
