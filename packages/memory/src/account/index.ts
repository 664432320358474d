import type { MikaAccountRepository } from "@mika-maintenance/core";
import type { MemoryState } from "../memory-state.ts";
import { createMemoryCustomers } from "./customers.ts";
import { createMemoryEntitlements } from "./entitlements.ts";
import { createMemoryLicenses } from "./licenses.ts";
import { createMemorySubscriptions } from "./subscriptions.ts";

/** `repositories.account`: customers, subscriptions, entitlements and licenses. */
export function createMemoryAccount(state: MemoryState): MikaAccountRepository {
  return {
    ...createMemoryCustomers(state),
    ...createMemorySubscriptions(state),
    ...createMemoryEntitlements(state),
    ...createMemoryLicenses(state),
  };
}
