import type { MikaAccountRepository } from "@mika-maintenance/core";
import type { MemoryState } from "../schema/tables.ts";
import { createMemoryCustomers } from "./account-customers.ts";
import { createMemoryEntitlements } from "./account-entitlements.ts";
import { createMemoryLicenses } from "./account-licenses.ts";
import { createMemorySubscriptions } from "./account-subscriptions.ts";

/** `repositories.account`: customers, subscriptions, entitlements and licenses. */
export function createMemoryAccount(state: MemoryState): MikaAccountRepository {
  return {
    ...createMemoryCustomers(state),
    ...createMemorySubscriptions(state),
    ...createMemoryEntitlements(state),
    ...createMemoryLicenses(state),
  };
}
