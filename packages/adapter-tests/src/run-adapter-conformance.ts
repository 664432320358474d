import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConformanceContext, type MikaManagedContext } from "./context.ts";
import type { MikaConformanceGroupDefinition } from "./define-group.ts";
import { MikaConformanceOptionsError } from "./errors.ts";
import { MIKA_CONFORMANCE_GROUP_DEFINITIONS } from "./groups/index.ts";
import { MIKA_CONFORMANCE_GROUPS, type MikaConformanceGroup } from "./groups.ts";
import type { MikaCapabilityOptOut, MikaConformanceStore } from "./types.ts";

/** What an adapter passes to run the conformance suite against its real store. */
export interface MikaConformanceOptions {
  /** Shown in every test title, e.g. `"postgres"`. */
  name: string;
  /** Creates a fresh, empty store; called before every test. */
  createRepositories: () => Promise<MikaConformanceStore>;
  /** Clears shared state (e.g. truncates tables); called before every `createRepositories`. */
  reset?: () => Promise<void>;
  /** Groups the adapter cannot support, each with the reason shown in the report. */
  capabilities?: Partial<Record<MikaConformanceGroup, MikaCapabilityOptOut>>;
}

/**
 * Registers the conformance suite with vitest: one `describe` per group, a fresh store per
 * test. Call it at the top level of an adapter's test file.
 */
export function runAdapterConformance(options: MikaConformanceOptions): void {
  const capabilities = validateOptions(options);
  describe(`mika-maintenance adapter conformance: ${options.name}`, () => {
    for (const group of MIKA_CONFORMANCE_GROUP_DEFINITIONS) {
      const optOut = capabilities[group.name];
      if (optOut) registerOptOut(group, optOut.reason);
      else registerGroup(group, options);
      // Erasure runs in one transaction when the store can (decision 0026); the same groups
      // run again without the store, so the step-by-step path stays proven on every adapter.
      if (!optOut && ERASURE_GROUPS.has(group.name)) {
        registerGroup(
          group,
          {
            ...options,
            createRepositories: async () => withoutStorePort(await options.createRepositories()),
          },
          " (step by step)",
        );
      }
    }
  });
}

function registerOptOut(group: MikaConformanceGroupDefinition, reason: string): void {
  describe(`${group.name} (opted out)`, () => {
    it(`${group.name}: not supported — ${reason}`, () => {
      expect(reason.trim().length).toBeGreaterThan(0);
    });
  });
}

const ERASURE_GROUPS = new Set<MikaConformanceGroup>([
  "accountDelete",
  "accountDeleteFaults",
  "erasurePiiScan",
]);

/** The store with its repositories' optional `store` port taken away, connections included. */
function withoutStorePort(store: MikaConformanceStore): MikaConformanceStore {
  const { connect } = store;
  return {
    ...store,
    repositories: { ...store.repositories, store: undefined },
    ...(connect
      ? {
          connect: async () => {
            const connection = await connect();
            return {
              ...connection,
              repositories: { ...connection.repositories, store: undefined },
            };
          },
        }
      : {}),
  };
}

function registerGroup(
  group: MikaConformanceGroupDefinition,
  options: MikaConformanceOptions,
  variant = "",
) {
  describe(`${group.name}${variant}: ${group.description}`, () => {
    let managed: MikaManagedContext | undefined;

    beforeEach(async () => {
      await options.reset?.();
      managed = createConformanceContext(await options.createRepositories());
    });

    afterEach(async () => {
      const current = managed;
      managed = undefined;
      await current?.dispose();
    });

    for (const test of group.tests) {
      it(
        test.name,
        async () => {
          if (!managed) throw new Error("The store was not created for this test.");
          await test.run(managed.context);
        },
        test.timeoutMs,
      );
    }
  });
}

function validateOptions(options: MikaConformanceOptions) {
  if (!options || typeof options.name !== "string" || options.name.trim() === "") {
    throw new MikaConformanceOptionsError(
      "name",
      "name must be a non-empty string naming the adapter.",
    );
  }
  if (typeof options.createRepositories !== "function") {
    throw new MikaConformanceOptionsError(
      "createRepositories",
      "createRepositories must be a function that resolves to a fresh MikaConformanceStore.",
    );
  }
  if (options.reset !== undefined && typeof options.reset !== "function") {
    throw new MikaConformanceOptionsError("reset", "reset must be a function when given.");
  }
  const capabilities = options.capabilities ?? {};
  const known = new Set<string>(MIKA_CONFORMANCE_GROUPS);
  for (const [group, optOut] of Object.entries(capabilities)) {
    const field = `capabilities.${group}`;
    if (!known.has(group)) {
      throw new MikaConformanceOptionsError(
        field,
        `Unknown conformance group "${group}". Known groups: ${MIKA_CONFORMANCE_GROUPS.join(", ")}.`,
      );
    }
    if (optOut?.supported !== false) {
      throw new MikaConformanceOptionsError(
        field,
        `${field} must be { supported: false, reason } to opt out; omit the group to run it.`,
      );
    }
    if (typeof optOut.reason !== "string" || optOut.reason.trim() === "") {
      throw new MikaConformanceOptionsError(
        `${field}.reason`,
        `${field}.reason must say, in a sentence, why the adapter cannot support the group.`,
      );
    }
  }
  return capabilities;
}
