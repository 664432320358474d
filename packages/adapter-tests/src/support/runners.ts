import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaEmailOutboxRunnerInput,
  type MikaHostTasks,
  type MikaMaintenanceRunner,
  type MikaMaintenanceRunnerInput,
  type MikaRepositories,
  type MikaWebhookReplayInput,
} from "@mika-maintenance/core";
import { type CountingSender, createCountingSender } from "./counting-sender.ts";

/** Options of a fully wired maintenance runner built for a test. */
export interface TestRunnerOptions
  extends Partial<Omit<MikaEmailOutboxRunnerInput, "repositories" | "sender">> {
  sender?: CountingSender;
  /** Replaces the runner input (other than repositories and the email runner). */
  input?: Omit<MikaMaintenanceRunnerInput, "repositories" | "emailOutboxRunner">;
}

/** A maintenance runner wired with every port and an email runner over a counting sender. */
export interface TestRunner {
  runner: MikaMaintenanceRunner<MikaHostTasks>;
  sender: CountingSender;
  /** The webhooks the default replay driver was asked to replay (when `input.api` is unset). */
  replayed: MikaWebhookReplayInput[];
}

/** Builds the public maintenance runner over `repositories`, as a host would. */
export function createTestRunner(
  repositories: MikaRepositories,
  options: TestRunnerOptions = {},
): TestRunner {
  const { sender = createCountingSender(), input = {}, ...emailOptions } = options;
  const emailOutboxRunner = createMikaEmailOutboxRunner({
    ...emailOptions,
    repositories: { ops: repositories.ops },
    sender: sender.sender,
  });
  const replayed: MikaWebhookReplayInput[] = [];
  const api = input.api ?? {
    admin: {
      webhookReplay: async (replay: MikaWebhookReplayInput) => {
        replayed.push(replay);
        return { ok: true as const };
      },
    },
  };
  const runner = createMikaMaintenanceRunner({ ...input, api, repositories, emailOutboxRunner });
  return { runner, sender, replayed };
}

/** Narrows a task result to `completed` and returns its result, failing the test otherwise. */
export function completed<T>(
  outcome:
    | { status: "completed"; result: T }
    | { status: "failed"; error: string }
    | { status: "skipped"; reason: string },
): T {
  if (outcome.status !== "completed") {
    const detail = outcome.status === "failed" ? outcome.error : outcome.reason;
    throw new Error(`Expected the task to complete, but it was ${outcome.status}: ${detail}`);
  }
  return outcome.result;
}
