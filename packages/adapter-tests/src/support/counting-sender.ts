import type { MikaEmailSender, MikaOutgoingEmail } from "@mika-maintenance/core";

/** A sender that records every message it accepted, for exactly-once assertions. */
export interface CountingSender {
  sender: MikaEmailSender;
  /** Every accepted message, in order. */
  readonly sent: MikaOutgoingEmail[];
  /** Every message the sender was called with, accepted or not. */
  readonly attempts: MikaOutgoingEmail[];
  /** How many times the provider accepted this email id. */
  countFor(emailId: string): number;
}

export interface CountingSenderOptions {
  /** Runs before the message is accepted; throw to make the provider reject it. */
  beforeAccept?: (message: MikaOutgoingEmail) => void | Promise<void>;
  /** Yields to the event loop during each send so concurrent runners really interleave. */
  yieldDuringSend?: boolean;
}

/** Creates a counting sender whose provider message ids are `provider-<emailId>`. */
export function createCountingSender(options: CountingSenderOptions = {}): CountingSender {
  const sent: MikaOutgoingEmail[] = [];
  const attempts: MikaOutgoingEmail[] = [];
  return {
    sent,
    attempts,
    countFor: (emailId) => sent.filter((message) => message.emailId === emailId).length,
    async sender(message) {
      attempts.push(message);
      if (options.yieldDuringSend) await new Promise<void>((resolve) => setImmediate(resolve));
      await options.beforeAccept?.(message);
      sent.push(message);
      return { providerMessageId: `provider-${message.emailId}` };
    },
  };
}
