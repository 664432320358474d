import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { MikaEmailSender } from "@mika-maintenance/core";

/**
 * The demo's email provider: appends each delivered message as one JSON line to a local
 * mailbox file, so you can see what "sending" did. Nothing leaves the machine.
 */
export function createMailboxSender(file: string): {
  sender: MikaEmailSender;
  delivered(): number;
} {
  let delivered = 0;
  let ready: Promise<unknown> | null = null;
  return {
    delivered: () => delivered,
    sender: async (message) => {
      ready ??= mkdir(path.dirname(file), { recursive: true });
      await ready;
      delivered += 1;
      const providerMessageId = `demo-mailbox-${message.idempotencyKey}`;
      await appendFile(
        file,
        `${JSON.stringify({
          deliveredAt: new Date().toISOString(),
          providerMessageId,
          to: message.to,
          subject: message.subject,
          text: message.text,
        })}\n`,
      );
      return { providerMessageId };
    },
  };
}
