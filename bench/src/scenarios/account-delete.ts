import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { openMeteredAdapter } from "../adapters/driver-meter.ts";
import { type BenchResult, measureInterleaved, series } from "../harness.ts";
import { BENCH_NOW, type Scenario, scaled } from "../scenario.ts";
import { loadPeople, openErasureScene, PERSON } from "./people-data.ts";

const { orders: ORDERS, entitlements: ENTITLEMENTS, emails: EMAILS } = PERSON;
const ITERATIONS = 3;

/** Erasure throughput for customers with 20 orders, 5 entitlements and 10 emails each. */
export const accountDeleteScenario: Scenario = {
  key: "account-delete",
  title: "Account-delete throughput",
  async run(context) {
    const perRound = scaled(context, 100, 10);
    const bystanders = scaled(context, 5000, 50);
    const store = await openErasureScene(context, bystanders);
    const metered = await openMeteredAdapter(store.target);
    const runner = createMikaMaintenanceRunner({ repositories: metered.adapter });
    let round = 0;
    let completed = 0;
    const driver = { roundTrips: 0, commits: 0 };
    const [runs] = await measureInterleaved({
      name: "account delete",
      warmup: 1,
      iterations: ITERATIONS,
      variants: [
        {
          label: `${perRound} requests`,
          prepare: async (warmup) => {
            round += 1;
            await loadPeople(store, `r${round}`, warmup ? perRound / 4 : perRound, true);
            await store.maintain();
          },
          run: async (warmup) => {
            let done = 0;
            metered.reset();
            const started = performance.now();
            for (;;) {
              const outcome = await runner.runTask("accountDeleteRequests", {
                now: BENCH_NOW,
                accountDeleteLimit: 25,
              });
              if (outcome.status !== "completed") {
                throw new Error(
                  `accountDeleteRequests ${outcome.status}: ${JSON.stringify(outcome)}`,
                );
              }
              done += outcome.result.completed;
              if (outcome.result.scanned === 0) break;
            }
            const rate = done / ((performance.now() - started) / 1000);
            if (!warmup) {
              completed += done;
              driver.roundTrips += metered.read().roundTrips;
              driver.commits += metered.read().commits;
            }
            return rate;
          },
        },
      ],
    });
    await metered.close();
    const leftQueued = await store.count("account_delete_requests", "status = 'queued'");
    const result: BenchResult = {
      key: "account-delete",
      scenario: `account delete (customers with ${ORDERS} orders, ${ENTITLEMENTS} entitlements, ${EMAILS} emails)`,
      adapter: context.adapter,
      subject: series("runTask accountDeleteRequests", "requests/s", true, runs!),
      notes: [
        `${completed} requests completed over ${ITERATIONS} runs of ${perRound}; ${leftQueued} left queued`,
        `per request, counted on the driver: ${(driver.roundTrips / completed).toFixed(1)} round trips, ${(driver.commits / completed).toFixed(1)} write commits (the adapter as wired: one transaction per request where its store serves every port)`,
        `${bystanders.toLocaleString("en-US")} bystander customers (${(bystanders * ORDERS).toLocaleString("en-US")} orders) in the same tables`,
        "no target here: absolute throughput as a host wires it; the erasure-paths scenario sets the two paths side by side against the target",
      ],
    };
    return [result];
  },
};
