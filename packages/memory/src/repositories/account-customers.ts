import type { MikaAccountRepository, MikaCustomerRecord } from "@mika-maintenance/core";
import { copy, readById } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

type CustomerMethods = Pick<
  MikaAccountRepository,
  "upsertCustomer" | "getCustomer" | "anonymizeCustomerForAccountDelete"
>;

const PROFILE_FIELDS = ["userId", "email", "emailHash", "name", "company", "vatId"] as const;

/** Customer profiles of `repositories.account`. */
export function createMemoryCustomers(state: MemoryState): CustomerMethods {
  const customers = state.tables.customers;

  return {
    async upsertCustomer(input) {
      const now = portInput.requireTime(input.now, "now");
      const id = portInput.requireText(input.id, "id");
      const existing = customers.get(id);
      if (existing) {
        // Fields left out of the input keep their stored value; an explicit null clears one.
        for (const field of PROFILE_FIELDS) {
          const value = input[field];
          if (value !== undefined) existing[field] = value;
        }
        existing.updatedAt = now;
        return copy(existing);
      }
      const customer: MikaCustomerRecord = {
        id,
        userId: input.userId ?? null,
        email: input.email ?? null,
        emailHash: input.emailHash ?? null,
        name: input.name ?? null,
        company: input.company ?? null,
        vatId: input.vatId ?? null,
        createdAt: now,
        updatedAt: now,
        anonymizedAt: null,
      };
      customers.set(id, customer);
      return copy(customer);
    },

    getCustomer: readById(customers),

    async anonymizeCustomerForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      const sentinel = portInput.requireText(input.sentinel, "sentinel");
      const customer = input.customerId ? customers.get(input.customerId) : undefined;
      if (!customer || customer.anonymizedAt !== null) return 0;
      customer.email = null;
      customer.name = null;
      customer.company = null;
      customer.vatId = null;
      customer.emailHash = sentinel;
      customer.userId = sentinel;
      customer.anonymizedAt = now;
      customer.updatedAt = now;
      return 1;
    },
  };
}
