/** Creates a random unique id (UUID v4 from the platform's Web Crypto). */
export function createRandomId(): string {
  return globalThis.crypto.randomUUID();
}
