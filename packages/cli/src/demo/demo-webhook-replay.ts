import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { MikaWebhookReplayInput, MikaWebhookReplayResult } from "@mika-maintenance/core";

/**
 * The demo's webhook replay driver (EmDash: `api.admin.webhookReplay`): appends each replay as
 * one JSON line next to the demo mailbox and accepts it, so `webhookRetries` runs in the demo
 * like every other task. Nothing leaves the machine.
 */
export function createDemoWebhookReplay(
  file: string,
): (input: MikaWebhookReplayInput) => Promise<MikaWebhookReplayResult> {
  let ready: Promise<unknown> | null = null;
  return async ({ webhookId, idempotencyKey }) => {
    ready ??= mkdir(path.dirname(file), { recursive: true });
    await ready;
    await appendFile(
      file,
      `${JSON.stringify({ replayedAt: new Date().toISOString(), webhookId, idempotencyKey })}\n`,
    );
    return { ok: true };
  };
}
